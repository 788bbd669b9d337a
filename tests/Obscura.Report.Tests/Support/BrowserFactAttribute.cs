namespace Obscura.Report.Tests.Support;

/// <summary>
/// A test that drives headless Chromium. It runs by default and fails, saying how to install
/// Chromium, when the browser is missing. Setting OBSCURA_SKIP_BROWSER_TESTS=1 reports it as
/// skipped instead (for machines that cannot install a browser); CI must not set it.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string SkipVariable = "OBSCURA_SKIP_BROWSER_TESTS";

    public BrowserFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(SkipVariable) is "1" or "true")
        {
            Skip = $"{SkipVariable} is set: the HTML report was not rendered in Chromium.";
        }
    }
}
