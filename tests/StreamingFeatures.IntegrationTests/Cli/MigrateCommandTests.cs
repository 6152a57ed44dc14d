using System.Diagnostics;
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

    /// <summary>Runs the CLI the build copied beside the tests, the way a user or a container runs it.</summary>
    private async Task<(int Code, string Output)> RunCliAsync(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "StreamingFeatures.Cli.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("BIGTABLE_EMULATOR_HOST");
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(TestContext.CancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }
}
