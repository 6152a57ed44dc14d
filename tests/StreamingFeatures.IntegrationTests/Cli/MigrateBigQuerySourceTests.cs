using System.Globalization;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// <c>migrate</c> reading BigQuery through the Storage Read API: a table on an external emulator
/// (<c>BIGQUERY_STORAGE_EMULATOR_HOST</c>), and the sample split over replicas with <c>--shard-index/--shard-count</c>
/// (each creates the same deterministic session and reads its streams of it).
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateBigQuerySourceTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_BigQueryTableOnExternalEmulator_EveryRowVerified()
    {
        const long Rows = 10_000;
        await using var workspace = MigrationWorkspace.Create("bqtable");
        await using BigQueryStorageEmulator bigQuery = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), Cancellation);
        bigQuery.AddTable("p", "d", "t", SourceSpec.Sample(Rows));
        FeatureSetFile.WriteSynthetic(workspace.PathOf("features.yaml"), "ignored_by_table_flag", features: 8);
        var environment = new Dictionary<string, string>(MigrationWorkspace.SharedEmulator) { [CliProcess.BigQueryHostVariable] = bigQuery.Endpoint };

        CliResult result = await workspace.RunAsync(
            ["migrate", "--source", "bigquery:projects/p/datasets/d/tables/t", "--feature-set", "features.yaml", "--table", workspace.Table.Id, "--summary-json", "s.json"],
            environment,
            Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        Assert.IsGreaterThan(0, bigQuery.ReadRowsCalls, "the rows must come from the emulator the environment names");
        MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), Rows, runs: 1);
        await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);
    }

    [TestMethod]
    public async Task Migrate_ThreeShardsInParallel_EachReadsItsPartAndTogetherEveryRowOnce()
    {
        const long Rows = 9_000;
        const int Shards = 3;
        await using var workspace = MigrationWorkspace.Create("shards");
        string Summary(int shard) => string.Create(CultureInfo.InvariantCulture, $"s{shard}.json");

        CliResult[] results = await Task.WhenAll(Enumerable.Range(0, Shards).Select(shard => workspace.RunAsync(
            [
                "migrate", "--local", "--sample-rows", Rows.ToString(CultureInfo.InvariantCulture), "--table", workspace.Table.Id,
                "--shard-index", shard.ToString(CultureInfo.InvariantCulture), "--shard-count", Shards.ToString(CultureInfo.InvariantCulture),
                "--summary-json", Summary(shard), "--dead-letter", string.Create(CultureInfo.InvariantCulture, $"dl{shard}.jsonl"),
            ],
            MigrationWorkspace.SharedEmulator,
            Cancellation)));

        foreach (CliResult result in results)
        {
            Assert.AreEqual(0, result.Code, result.Output);
        }

        MigrationSummary[] summaries = [.. Enumerable.Range(0, Shards).Select(shard => workspace.ReadSummary(Summary(shard)))];
        Assert.AreEqual(Rows, summaries.Sum(s => s.RowsRead), string.Join(Environment.NewLine, summaries.Select(s => s.ToJson())));
        foreach (MigrationSummary summary in summaries)
        {
            Assert.AreEqual(Rows / Shards, summary.RowsRead, "12 equal streams (3 shards x 4 read streams), 4 per shard");
            Assert.AreEqual(summary.RowsRead, summary.RowsVerified, summary.ToJson());
            Assert.AreEqual(0, summary.Missing + summary.Mismatches + summary.DeadLettered, summary.ToJson());
        }

        await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);
    }
}
