using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Emulators.BigQuery;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// What <c>migrate</c> leaves in its working directory: a dry run nothing, a run without dead letters its checkpoint
/// and summary but no empty dead-letter file; and the BigQuery table names users paste all name the same table.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateLeavesNoStrayFilesTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_DryRun_LeavesNoFile()
    {
        await using var workspace = MigrationWorkspace.Create("dryfiles");

        CliResult result = await workspace.RunAsync(["migrate", "--local", "--sample-rows", "1000", "--table", workspace.Table.Id, "--dry-run"], MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        Assert.IsEmpty(workspace.Files(), string.Join(", ", workspace.Files()));
    }

    [TestMethod]
    public async Task Migrate_NoDeadLetters_CreatesNoDeadLetterFile()
    {
        await using var workspace = MigrationWorkspace.Create("nodl");

        CliResult result = await workspace.RunAsync(CrashingRun.SampleArguments(workspace, 1_000), MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), 1_000, runs: 1);
        Assert.IsFalse(File.Exists(workspace.PathOf("streamingfeatures-dead-letters.jsonl")), string.Join(", ", workspace.Files()));
    }

    [TestMethod]
    public async Task Migrate_OneBadRow_DeadLetterFileCreatedHoldingIt()
    {
        await using var workspace = MigrationWorkspace.Create("somedl");
        File.WriteAllText(workspace.PathOf("rows.csv"), "entity_id,event_time,f0,f1\ne1,2026-01-01T00:00:00Z,1,2\ne2,2026-01-01T00:00:00Z,not-a-number,2\n");
        FeatureSetFile.WriteSynthetic(workspace.PathOf("features.yaml"), workspace.Table.Id, features: 2);

        Directory.CreateDirectory(workspace.PathOf("out"));

        CliResult result = await workspace.RunAsync(
            ["migrate", "--local", "--source", "files:rows.csv", "--feature-set", "features.yaml", "--table", workspace.Table.Id, "--dead-letter", "out/dl.jsonl"],
            MigrationWorkspace.SharedEmulator,
            Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        string[] lines = File.ReadAllLines(workspace.PathOf("out/dl.jsonl"));
        Assert.HasCount(1, lines, string.Join(Environment.NewLine, lines));
        StringAssert.Contains(lines[0], "rows.csv line 3");
    }

    [TestMethod]
    [DataRow("bigquery:projects/p/datasets/d/tables/t")]
    [DataRow("bigquery:p.d.t")]
    [DataRow("bigquery:`p.d.t`")]
    [DataRow("bigquery:p:d.t")]
    public async Task Migrate_BigQueryNameInAnyPastedForm_ReadsTheTable(string source)
    {
        const long Rows = 1_000;
        await using var workspace = MigrationWorkspace.Create("bqforms");
        await using BigQueryStorageEmulator bigQuery = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), Cancellation);
        bigQuery.AddTable("p", "d", "t", SourceSpec.Sample(Rows));
        FeatureSetFile.WriteSynthetic(workspace.PathOf("features.yaml"), workspace.Table.Id, features: 8);
        var environment = new Dictionary<string, string>(MigrationWorkspace.SharedEmulator) { [CliProcess.BigQueryHostVariable] = bigQuery.Endpoint };

        CliResult result = await workspace.RunAsync(
            ["migrate", "--source", source, "--feature-set", "features.yaml", "--table", workspace.Table.Id, "--summary-json", "s.json"],
            environment,
            Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), Rows, runs: 1);
    }
}
