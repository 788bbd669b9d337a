using System.Text;
using Obscura.Privacy.Ledger;

namespace Obscura.PrivacyParts.Tests;

public sealed class PrivacyLedgerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("obscura-ledger-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static PrivacyLedger SampleLedger(int steps = 5)
    {
        var ledger = new PrivacyLedger("run-42");
        for (int i = 0; i < steps; i++)
        {
            double q = i < 3 ? 256.0 / 60_000 : 0.01;
            ledger.AppendStep(q, 1.1, 1.0, 60_000, 1e-5, Start.AddSeconds(i));
        }
        return ledger;
    }

    [Fact]
    public void AppendSaveAndLoad_RoundTripsEveryFieldExactly()
    {
        PrivacyLedger ledger = SampleLedger();
        string path = PathOf("ledger.json");
        ledger.Save(path);
        PrivacyLedger loaded = PrivacyLedger.Load(path);
        Assert.Equal("run-42", loaded.RunId);
        Assert.Equal(ledger.Entries, loaded.Entries);
    }

    [Fact]
    public void ResumedRun_LoadsAppendsAndKeepsEarlierSteps()
    {
        string path = PathOf("ledger.json");
        SampleLedger(3).Save(path);
        PrivacyLedger resumed = PrivacyLedger.Load(path);
        resumed.AppendStep(0.01, 1.1, 1.0, 60_000, 1e-5, Start.AddHours(1));
        resumed.Save(path);
        PrivacyLedger reloaded = PrivacyLedger.Load(path);
        Assert.Equal(4, reloaded.Count);
        Assert.Equal(3, reloaded.Entries[3].Step);
    }

    [Fact]
    public void Save_LeavesNoTemporaryFileBehind()
    {
        SampleLedger().Save(PathOf("ledger.json"));
        SampleLedger(7).Save(PathOf("ledger.json"));
        Assert.Equal(["ledger.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void AtomicWrite_WhenTheWriterThrows_LeavesTheOldFileIntactAndNoTemporaryFile()
    {
        string path = PathOf("ledger.json");
        SampleLedger().Save(path);
        byte[] before = File.ReadAllBytes(path);
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(Encoding.UTF8.GetBytes("{\"format\":\"obscura-privacy-ledger\",\"ent"));
            throw new IOException("disk full (simulated)");
        }));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void AtomicWrite_IntoAMissingFolder_NamesTheFileNotItsTemporary()
    {
        string path = Path.Combine(_directory, "missing", "report.html");
        var e = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Write(path, _ => { }));
        Assert.Contains(path, e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
    }

    [Fact]
    public void TruncatedFile_IsRefusedWithTheFileName()
    {
        string path = PathOf("ledger.json");
        SampleLedger().Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<CorruptLedgerException>(() => PrivacyLedger.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void EditedNoiseMultiplier_FailsTheChecksumAndIsRefused()
    {
        string path = PathOf("ledger.json");
        SampleLedger().Save(path);
        string text = File.ReadAllText(path);
        Assert.Contains("\"noiseMultiplier\":1.1", text);
        File.WriteAllText(path, text.Replace("\"noiseMultiplier\":1.1", "\"noiseMultiplier\":11"));
        var e = Assert.Throws<CorruptLedgerException>(() => PrivacyLedger.Load(path));
        Assert.Contains("checksum", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void UnknownFormatOrNonJson_IsRefused()
    {
        string path = PathOf("ledger.json");
        File.WriteAllText(path, "not json at all");
        Assert.Throws<CorruptLedgerException>(() => PrivacyLedger.Load(path));
        File.WriteAllText(path, "{\"format\":\"something-else\",\"version\":1,\"runId\":\"r\",\"entries\":[],\"entriesSha256\":\"\"}");
        Assert.Contains("format", Assert.Throws<CorruptLedgerException>(() => PrivacyLedger.Load(path)).Message);
    }

    [Fact]
    public void Append_OutOfOrderStepOrInvalidField_IsRefused()
    {
        PrivacyLedger ledger = SampleLedger(2);
        Assert.Throws<ArgumentException>(() => ledger.Append(new LedgerEntry(5, 0.01, 1.1, 1.0, 1000, 1e-5, Start)));
        Assert.Throws<ArgumentException>(() => ledger.AppendStep(1.5, 1.1, 1.0, 1000, 1e-5));
        Assert.Throws<ArgumentException>(() => ledger.AppendStep(0.01, 0, 1.0, 1000, 1e-5));
        Assert.Throws<ArgumentException>(() => ledger.AppendStep(0.01, 1.1, 1.0, 1000, 0));
        Assert.Equal(2, ledger.Count);
    }

    [Fact]
    public void Summarise_GroupsStepsBySamplingRateAndNoiseMultiplier()
    {
        PrivacyLedger ledger = SampleLedger(5);
        ledger.AppendStep(256.0 / 60_000, 1.1, 2.0, 60_000, 1e-5, Start.AddMinutes(1));
        Assert.Equal([(256.0 / 60_000, 1.1, 4L), (0.01, 1.1, 2L)], ledger.Summarise());
    }
}
