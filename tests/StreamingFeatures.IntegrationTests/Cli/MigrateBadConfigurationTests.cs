using StreamingFeatures.Emulators.BigQuery;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// <c>migrate</c> with a configuration that cannot work: exit code 2, a message naming what is wrong, and nothing
/// written — no table, no rows, no checkpoint.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateBadConfigurationTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    [DataRow("--shard-index 3 --shard-count 3", "--shard-index is 3")]
    [DataRow("--shard-count 2 --source synthetic", "--shard-count 2 needs a BigQuery source")]
    [DataRow("--shard-count 2 --source bigquery:projects/p/datasets/d/tables/t --checkpoint none", "--checkpoint is none")]
    [DataRow("--shard-count 2 --source bigquery:projects/p/datasets/d/tables/t", "--checkpoint is not given")]
    public async Task Migrate_ImpossibleShardFlags_ExitsTwoNamingFlagAndWritesNothing(string flags, string message)
    {
        await using var workspace = MigrationWorkspace.Create("badshard");

        CliResult result = await workspace.RunAsync(["migrate", "--local", "--sample-rows", "1000", "--table", workspace.Table.Id, .. flags.Split(' ')], MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        MigrateAssert.OutputContains(result, message);
        await AssertNothingWrittenAsync(workspace);
    }

    [TestMethod]
    public async Task Migrate_FeatureReadsMissingColumn_ExitsTwoNamingColumnAndWritesNothing()
    {
        await using var workspace = MigrationWorkspace.Create("badcol");
        FeatureSetFile.WriteSynthetic(workspace.PathOf("features.yaml"), workspace.Table.Id, features: 2, "no_such_column");

        CliResult result = await workspace.RunAsync(
            ["migrate", "--local", "--source", "sample", "--sample-rows", "1000", "--feature-set", "features.yaml", "--table", workspace.Table.Id],
            MigrationWorkspace.SharedEmulator,
            Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        MigrateAssert.OutputContains(result, "no_such_column");
        await AssertNothingWrittenAsync(workspace);
    }

    [TestMethod]
    public async Task Migrate_BigQuerySourceNotATableName_ExitsTwoNamingItAndWritesNothing()
    {
        await using var workspace = MigrationWorkspace.Create("badbq");
        await using BigQueryStorageEmulator bigQuery = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), Cancellation);
        FeatureSetFile.WriteSynthetic(workspace.PathOf("features.yaml"), workspace.Table.Id, features: 2);
        var environment = new Dictionary<string, string>(MigrationWorkspace.SharedEmulator) { [CliProcess.BigQueryHostVariable] = bigQuery.Endpoint };

        CliResult result = await workspace.RunAsync(
            ["migrate", "--local", "--source", "bigquery:not-a-table", "--feature-set", "features.yaml", "--table", workspace.Table.Id],
            environment,
            Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        MigrateAssert.OutputContains(result, "not-a-table");
        MigrateAssert.OutputLacks(result, "Unhandled exception");
        await AssertNothingWrittenAsync(workspace);
    }

    [TestMethod]
    public async Task Migrate_NoCreateAndTableMissing_ExitsTwoNamingTableAndCreatesNothing()
    {
        await using var workspace = MigrationWorkspace.Create("nocreate");

        CliResult result = await workspace.RunAsync(
            ["migrate", "--local", "--sample-rows", "1000", "--table", workspace.Table.Id, "--no-create"],
            MigrationWorkspace.SharedEmulator,
            Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        MigrateAssert.OutputContains(result, workspace.Table.Name);
        MigrateAssert.OutputContains(result, "--no-create");
        await AssertNothingWrittenAsync(workspace);
    }

    private async Task AssertNothingWrittenAsync(MigrationWorkspace workspace)
    {
        Assert.IsFalse(await workspace.Table.ExistsAsync(Cancellation), $"{workspace.Table.Name} must not be created");
        Assert.IsFalse(Directory.Exists(workspace.PathOf(MigrationWorkspace.CheckpointFolder)), "no checkpoint: " + string.Join(", ", workspace.Files()));
    }
}
