using StreamingFeatures.Checkpoints;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Emulators.BigQuery;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// <c>migrate --data-format avro</c>: the BigQuery read session is created in Avro, its schema kept in the checkpoint,
/// a killed job goes on reading that session in Avro, and every row ends up verified; a changed format against a
/// checkpoint and impossible values exit 2.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateAvroTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_BigQueryTableAsAvro_EveryRowVerifiedAndTheCheckpointKeepsTheAvroSession()
    {
        const long Rows = 10_000;
        await using var workspace = MigrationWorkspace.Create("avrotable");
        await using BigQueryStorageEmulator bigQuery = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), Cancellation);
        bigQuery.AddTable("p", "d", "t", SourceSpec.Sample(Rows));
        FeatureSetFile.WriteSynthetic(workspace.PathOf("features.yaml"), "ignored_by_table_flag", features: 8);

        CliResult result = await workspace.RunAsync(BigQueryArguments(workspace), Environment(bigQuery), Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        MigrateAssert.OutputContains(result, "streams, Avro)");
        MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), Rows, runs: 1);
        await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);
        MigrationCheckpoint checkpoint = workspace.ReadCheckpoint() ?? throw new AssertFailedException("No checkpoint.");
        StringAssert.Contains(checkpoint.Session!.AvroSchema, "\"__root__\"");
        Assert.AreEqual("", checkpoint.Session.ArrowSchemaBase64);
        Assert.AreEqual("avro", checkpoint.Job["dataFormat"]);
    }

    [TestMethod]
    public async Task Migrate_AvroJobKilledMidway_RerunReadsTheSameAvroSessionAndVerifiesEveryRowOnce()
    {
        const long Rows = 150_000;
        await using var workspace = MigrationWorkspace.Create("avroresume");
        await using BigQueryStorageEmulator bigQuery = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), Cancellation);
        bigQuery.AddTable("p", "d", "t", SourceSpec.Sample(Rows));
        FeatureSetFile.WriteSynthetic(workspace.PathOf("features.yaml"), "ignored_by_table_flag", features: 8);
        string[] arguments = [.. BigQueryArguments(workspace), "--checkpoint-interval", "0.2"];

        MigrationCheckpoint killed = await CrashingRun.RunUntilKilledAsync(
            workspace, arguments, Environment(bigQuery), () => Task.FromResult(workspace.ReadCheckpoint()), c => c.Totals.Read >= Rows / 5 && CrashingRun.Midway(c), Cancellation);
        CliResult rerun = await workspace.RunAsync(arguments, Environment(bigQuery), Cancellation);

        Assert.AreEqual(0, rerun.Code, rerun.Output);
        MigrateAssert.OutputContains(rerun, "in 1 earlier run(s)");
        MigrateAssert.OutputContains(rerun, $"read session {killed.Session!.Name}");
        Assert.IsNotNull(killed.Session.AvroSchema);
        MigrationCheckpoint done = workspace.ReadCheckpoint() ?? throw new AssertFailedException("No checkpoint.");
        Assert.AreEqual(killed.Session.Name, done.Session!.Name, "the rerun read the session the first run created");
        MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), Rows, runs: 2);
        await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);
    }

    [TestMethod]
    public async Task Migrate_DataFormatChangedAgainstTheCheckpoint_ExitsTwoNamingIt()
    {
        await using var workspace = MigrationWorkspace.Create("avroswitch");
        string[] arguments = ["migrate", "--local", "--sample-rows", "2000", "--table", workspace.Table.Id, "--checkpoint", "job.json"];
        CliResult first = await workspace.RunAsync(arguments, MigrationWorkspace.SharedEmulator, Cancellation);

        CliResult changed = await workspace.RunAsync([.. arguments, "--data-format", "avro"], MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(0, first.Code, first.Output);
        Assert.AreEqual(2, changed.Code, changed.Output);
        MigrateAssert.OutputContains(changed, "dataFormat: (none) → avro");
    }

    [TestMethod]
    [DataRow("--data-format parquet", "--data-format is 'parquet'; allowed: arrow, avro.")]
    [DataRow("--data-format avro --source synthetic", "--data-format avro applies to BigQuery sources only")]
    public async Task Migrate_ImpossibleDataFormat_ExitsTwoNamingTheFlag(string flags, string message)
    {
        await using var workspace = MigrationWorkspace.Create("badformat");

        CliResult result = await workspace.RunAsync(["migrate", "--local", "--sample-rows", "1000", "--table", workspace.Table.Id, .. flags.Split(' ')], MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        MigrateAssert.OutputContains(result, message);
        Assert.IsFalse(await workspace.Table.ExistsAsync(Cancellation), "nothing is created");
    }

    private static string[] BigQueryArguments(MigrationWorkspace workspace) =>
    [
        "migrate", "--source", "bigquery:projects/p/datasets/d/tables/t", "--feature-set", "features.yaml", "--table", workspace.Table.Id,
        "--data-format", "avro", "--summary-json", "s.json",
    ];

    private static Dictionary<string, string> Environment(BigQueryStorageEmulator bigQuery) =>
        new(MigrationWorkspace.SharedEmulator) { [CliProcess.BigQueryHostVariable] = bigQuery.Endpoint };
}
