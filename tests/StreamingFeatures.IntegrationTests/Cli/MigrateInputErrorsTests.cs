namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// <c>migrate</c> given flags, paths or environment it cannot use: exit 2 with one line naming the flag (or variable),
/// the value and what is allowed, before any work starts — no stack trace, no .NET type names, no help dump above the
/// error, and nothing left behind (no table, no checkpoint, no empty dead-letter file).
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateInputErrorsTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    [DataRow("--sample-rows 1e6", "--sample-rows is '1e6'; allowed: a whole number")]
    [DataRow("--sample-features eight", "--sample-features is 'eight'; allowed: a whole number")]
    [DataRow("--snapshot-time yesterday", "--snapshot-time is 'yesterday'; allowed: an RFC 3339 time")]
    [DataRow("--checkpoint-interval NaN", "--checkpoint-interval is 'NaN'; allowed: a duration from 100ms to 1h, such as 90s, 5m or 1h")]
    [DataRow("--checkpoint-interval 1e300", "--checkpoint-interval is '1e300'; allowed: a duration from 100ms to 1h, such as 90s, 5m or 1h")]
    [DataRow("--checkpoint-interval 2h", "--checkpoint-interval is '2h'; allowed: a duration from 100ms to 1h, such as 90s, 5m or 1h")]
    [DataRow("--no-such-flag", "'--no-such-flag'")]
    public async Task Migrate_UnparsableFlag_ErrorLineLastNamingWhatIsAllowedExitsTwo(string flags, string message)
    {
        await using var workspace = MigrationWorkspace.Create("parse");

        CliResult result = await workspace.RunAsync(["migrate", "--local", "--table", workspace.Table.Id, .. flags.Split(' ')], MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.AreEqual("See 'streamingfeatures migrate --help'.", lines[^1], result.Output);
        StringAssert.StartsWith(lines[^2], "error: ", result.Output);
        MigrateAssert.OutputContains(result, message);
        MigrateAssert.OutputLacks(result, "System.");
        MigrateAssert.OutputLacks(result, "Usage:");
        await AssertNothingWrittenAsync(workspace);
    }

    [TestMethod]
    [DataRow("--dead-letter missing-dir/x.jsonl", "--dead-letter is 'missing-dir/x.jsonl': the folder")]
    [DataRow("--dead-letter /proc/x.jsonl", "--dead-letter is '/proc/x.jsonl': cannot write there")]
    [DataRow("--summary-json missing-dir/s.json", "--summary-json is 'missing-dir/s.json': the folder")]
    [DataRow("--summary-json .", "that is a folder")]
    [DataRow("--checkpoint /proc/sf/c.json", "--checkpoint is '/proc/sf/c.json': cannot write there")]
    public async Task Migrate_OutputCannotBeWritten_ExitsTwoBeforeAnyWork(string flags, string message)
    {
        await using var workspace = MigrationWorkspace.Create("outpath");

        CliResult result = await workspace.RunAsync(
            ["migrate", "--local", "--sample-rows", "1000", "--table", workspace.Table.Id, .. flags.Split(' ')],
            MigrationWorkspace.SharedEmulator,
            Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        MigrateAssert.OutputContains(result, message);
        MigrateAssert.OutputLacks(result, "Unhandled exception");
        MigrateAssert.OutputLacks(result, "rows read");
        await AssertNothingWrittenAsync(workspace);
    }

    [TestMethod]
    [DataRow("notahost", "BIGTABLE_EMULATOR_HOST is 'notahost'; allowed: host:port")]
    [DataRow("localhost:99999", "BIGTABLE_EMULATOR_HOST is 'localhost:99999'; allowed: host:port")]
    [DataRow("no-such-host.invalid:8086", "the host no-such-host.invalid does not resolve")]
    public async Task Migrate_BigtableEmulatorHostUnusable_ExitsTwoAtOnceNamingTheVariable(string value, string message)
    {
        await using var workspace = MigrationWorkspace.Create("badhost");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        CliResult result = await workspace.RunAsync(
            ["migrate", "--local", "--sample-rows", "1000", "--table", workspace.Table.Id],
            new Dictionary<string, string> { [CliProcess.BigtableHostVariable] = value },
            Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        MigrateAssert.OutputContains(result, message);
        MigrateAssert.OutputLacks(result, "Unhandled exception");
        Assert.IsLessThan(TimeSpan.FromSeconds(20), clock.Elapsed, "checked up front, not after waiting for an emulator");
        Assert.IsEmpty(workspace.Files(), string.Join(", ", workspace.Files()));
    }

    [TestMethod]
    [DataRow("--project prod --instance prod")]
    [DataRow("--project prod")]
    public async Task Migrate_LocalWithProductionInstance_ExitsTwoNamingBoth(string flags)
    {
        await using var workspace = MigrationWorkspace.Create("localprod");

        CliResult result = await workspace.RunAsync(
            ["migrate", "--local", "--sample-rows", "1000", "--table", workspace.Table.Id, .. flags.Split(' ')],
            MigrationWorkspace.SharedEmulator,
            Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        MigrateAssert.OutputContains(result, "--local runs on the emulator, but " + flags);
        await AssertNothingWrittenAsync(workspace);
    }

    [TestMethod]
    [DataRow("bigquery:my-project.dataset")]
    [DataRow("bigquery:my-project/dataset/table")]
    [DataRow("bigquery:projects/p/datasets/d")]
    public async Task Migrate_BigQueryNameMalformed_ExitsTwoNamingItBeforeCredentials(string source)
    {
        await using var workspace = MigrationWorkspace.Create("bqname");
        FeatureSetFile.WriteSynthetic(workspace.PathOf("features.yaml"), workspace.Table.Id, features: 2);

        // No BigQuery emulator and no credentials: the name is checked first.
        CliResult result = await workspace.RunAsync(
            ["migrate", "--local", "--source", source, "--feature-set", "features.yaml", "--table", workspace.Table.Id],
            MigrationWorkspace.SharedEmulator,
            Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        MigrateAssert.OutputContains(result, $"--source is '{source}': not a BigQuery table name");
        MigrateAssert.OutputLacks(result, "redentials");
        await AssertNothingWrittenAsync(workspace);
    }

    [TestMethod]
    public async Task MigrateHelp_ListsEveryExitCode()
    {
        await using var workspace = MigrationWorkspace.Create("help");

        CliResult migrate = await workspace.RunAsync(["migrate", "--help"], environment: null, Cancellation);
        CliResult root = await workspace.RunAsync(["--help"], environment: null, Cancellation);

        Assert.AreEqual(0, migrate.Code, migrate.Output);
        Assert.AreEqual(0, root.Code, root.Output);
        foreach (string code in new[] { "0", "1", "2", "3", "130" })
        {
            Assert.IsTrue(HasExitCodeLine(migrate.Output, code), $"exit code {code} in migrate --help:{Environment.NewLine}{migrate.Output}");
            Assert.IsTrue(HasExitCodeLine(root.Output, code), $"exit code {code} in --help:{Environment.NewLine}{root.Output}");
        }
    }

    private static bool HasExitCodeLine(string help, string code)
    {
        int section = help.IndexOf("Exit codes:", StringComparison.Ordinal);
        return section >= 0 && help[section..].Split('\n').Any(line => line.TrimStart().StartsWith(code + " ", StringComparison.Ordinal));
    }

    /// <summary>No table, and not a single file in the working directory: no checkpoint, no empty dead-letter file.</summary>
    private async Task AssertNothingWrittenAsync(MigrationWorkspace workspace)
    {
        Assert.IsFalse(await workspace.Table.ExistsAsync(Cancellation), $"{workspace.Table.Name} must not be created");
        Assert.IsEmpty(workspace.Files().Where(f => f != "features.yaml"), string.Join(", ", workspace.Files()));
    }
}
