using System.Diagnostics;

namespace Obscura.Report.Tests.Support;

/// <summary>Runs Debian's headless Chromium from the command line, isolated from the network and any profile.</summary>
public static class Chromium
{
    public const string InstallHint = "Chromium is needed to test the HTML report's rendering: apt-get install chromium (or set OBSCURA_CHROMIUM to its path; OBSCURA_SKIP_BROWSER_TESTS=1 skips the test).";

    /// <summary>The browser executable: $OBSCURA_CHROMIUM, else chromium or chromium-browser on PATH; null when none exists.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("OBSCURA_CHROMIUM") is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : null;
        }
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new[] { "chromium", "chromium-browser" }
            .SelectMany(name => path.Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Loads <paramref name="htmlFile"/>, writes a screenshot of the given window size to
    /// <paramref name="screenshot"/>, and returns the DOM after parsing (--dump-dom).
    /// </summary>
    public static string Render(string chromium, string htmlFile, string screenshot, int width, int height, TimeSpan timeout)
    {
        var profile = Directory.CreateTempSubdirectory("obscura-chromium-");
        try
        {
            var start = new ProcessStartInfo(chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={profile.FullName}",
                $"--screenshot={screenshot}", $"--window-size={width},{height}", "--dump-dom", new Uri(htmlFile).AbsoluteUri,
            })
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{chromium} did not start.");
            var stderr = process.StandardError.ReadToEndAsync();
            var dom = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{chromium} did not finish within {timeout.TotalSeconds} s rendering {htmlFile}.");
            }
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{chromium} exited with {process.ExitCode}: {stderr.Result}");
            }
            return dom.Result;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
