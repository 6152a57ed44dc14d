using System.Text.Json;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary><c>streamingfeatures migrate</c> end to end, as a process, on its own local Bigtable emulator.</summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Migrate_LocalSample_WritesVerifiesAndSummarises()
    {
        string folder = Directory.CreateTempSubdirectory("sf-migrate-").FullName;
        try
        {
            string summary = Path.Combine(folder, "summary.json");

            var exit = await RunCliAsync(["migrate", "--local", "--sample-rows", "20000", "--summary-json", summary, "--dead-letter", Path.Combine(folder, "dl.jsonl")]);

            Assert.AreEqual(0, exit.Code, exit.Output);
            using JsonDocument json = JsonDocument.Parse(await File.ReadAllTextAsync(summary, TestContext.CancellationToken));
            JsonElement root = json.RootElement;
            Assert.AreEqual(20_000, root.GetProperty("rowsRead").GetInt64());
            Assert.AreEqual(20_000, root.GetProperty("rowsWritten").GetInt64());
            Assert.AreEqual(20_000, root.GetProperty("rowsVerified").GetInt64());
            Assert.AreEqual(0, root.GetProperty("mismatches").GetInt64());
            Assert.AreEqual(0, root.GetProperty("missing").GetInt64());
            Assert.IsGreaterThan(0, root.GetProperty("peakWorkingSetBytes").GetInt64());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    [DataRow("--verify", "sometimes")]
    [DataRow("--source", "ftp://elsewhere")]
    public async Task Migrate_BadOption_ExitsTwoBeforeWriting(string option, string value)
    {
        var exit = await RunCliAsync(["migrate", "--local", option, value]);

        Assert.AreEqual(2, exit.Code, exit.Output);
        StringAssert.Contains(exit.Output, value);
    }

    [TestMethod]
    public async Task Migrate_InvalidFeatureSetFile_ExitsTwo()
    {
        string file = Path.Combine(Path.GetTempPath(), $"sf-bad-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "table: t\nentityKey: user_id\neventTime: ts\nfeatures: []\n", TestContext.CancellationToken);
        try
        {
            var exit = await RunCliAsync(["migrate", "--local", "--feature-set", file]);

            Assert.AreEqual(2, exit.Code, exit.Output);
            StringAssert.Contains(exit.Output, "features");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Runs the CLI the build copied beside the tests, on its own local emulator, in a temporary working directory
    /// so its checkpoint and dead-letter files land there rather than in the test output folder.
    /// </summary>
    private async Task<CliResult> RunCliAsync(string[] arguments)
    {
        string folder = Directory.CreateTempSubdirectory("sf-migrate-cwd-").FullName;
        try
        {
            return await CliProcess.RunAsync(folder, arguments, environment: null, TestContext.CancellationToken);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
