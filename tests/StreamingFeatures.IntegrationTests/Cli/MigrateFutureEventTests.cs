using System.Globalization;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Jobs;
using StreamingFeatures.Keys;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// <c>migrate</c> dead-letters rows whose event time is more than maxFutureSkew ahead of the snapshot: a BigQuery
/// read session's snapshot time, or for files the job's first start (recorded in the checkpoint).
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateFutureEventTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_BigQueryRowsAheadOfSnapshot_DeadLetteredAsEventTimeInFuture()
    {
        // Row i has event time 2026-01-01 + i ms. The snapshot is 59m55s before that, so with the default hour of skew
        // rows 0 to 5,000 are written and rows 5,001 onwards are refused, though all are in the clock's past.
        const long Rows = 10_000;
        await using var workspace = MigrationWorkspace.Create("bqfuture");
        await using BigQueryStorageEmulator bigQuery = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), Cancellation);
        bigQuery.AddTable("p", "d", "t", SourceSpec.Sample(Rows));
        FeatureSetFile.WriteSynthetic(workspace.PathOf("features.yaml"), workspace.Table.Id, features: 8);
        var environment = new Dictionary<string, string>(MigrationWorkspace.SharedEmulator) { [CliProcess.BigQueryHostVariable] = bigQuery.Endpoint };

        CliResult result = await workspace.RunAsync(
            [
                "migrate", "--source", "bigquery:projects/p/datasets/d/tables/t", "--feature-set", "features.yaml", "--table", workspace.Table.Id,
                "--snapshot-time", "2025-12-31T23:00:05Z", "--summary-json", "s.json", "--dead-letter", "dl.jsonl",
            ],
            environment,
            Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        MigrationSummary summary = workspace.ReadSummary("s.json");
        Assert.AreEqual(Rows - 5_001, summary.DeadLettered, summary.ToJson());
        Assert.AreEqual(5_001, summary.RowsWritten, summary.ToJson());
        Assert.AreEqual(5_001, await workspace.Table.CountRowsAsync(Cancellation));
        string[] deadLetters = File.ReadAllLines(workspace.PathOf("dl.jsonl"));
        Assert.HasCount((int)(Rows - 5_001), deadLetters);
        Assert.IsTrue(deadLetters.All(l => l.Contains("\"reason\":\"eventTimeInFuture\"", StringComparison.Ordinal) && l.Contains("\"field\":\"event_time\"", StringComparison.Ordinal)), deadLetters[0]);
        StringAssert.Contains(deadLetters[0], "ahead of the snapshot time 2025-12-31T23:00:05.000000Z");
        Assert.AreEqual(DateTimeOffset.Parse("2025-12-31T23:00:05Z", CultureInfo.InvariantCulture), workspace.ReadCheckpoint()?.SnapshotTime);
    }

    [TestMethod]
    public async Task Migrate_CsvRowAtYear9999_DeadLetteredAndTheRealEventStaysNewest()
    {
        await using var workspace = MigrationWorkspace.Create("csvfuture");
        FeatureSetFile.WriteSynthetic(workspace.PathOf("features.yaml"), workspace.Table.Id, features: 1);
        string f0 = SyntheticSource.FeatureName(0);
        File.WriteAllText(
            workspace.PathOf("events.csv"),
            $"{SyntheticSource.EntityColumn},{SyntheticSource.EventTimeColumn},{f0}\n"
            + "e1,2026-01-01T00:00:00Z,1\n"
            + "e1,9999-12-31T23:59:59.999Z,999\n"
            + "e2,2026-01-01T00:00:00Z,2\n");
        DateTimeOffset before = TimeProvider.System.GetUtcNow();

        CliResult result = await workspace.RunAsync(
            ["migrate", "--local", "--source", "files:events.csv", "--feature-set", "features.yaml", "--table", workspace.Table.Id, "--summary-json", "s.json", "--dead-letter", "dl.jsonl"],
            MigrationWorkspace.SharedEmulator,
            Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        Assert.AreEqual(1, workspace.ReadSummary("s.json").DeadLettered);
        string deadLetter = File.ReadAllLines(workspace.PathOf("dl.jsonl")).Single();
        StringAssert.Contains(deadLetter, "\"reason\":\"eventTimeInFuture\"");
        StringAssert.Contains(deadLetter, "9999-12-31T23:59:59.999000Z, more than maxFutureSkew 1h ahead of the snapshot time");
        var newest = new Dictionary<string, long>();
        await workspace.Table.ScanAsync(
            row => newest[row.Key.ToStringUtf8()] = CellEncoding.ReadInt64(row.Families.Single().Columns.Single().Cells[0].Value.Span),
            Cancellation);
        Assert.HasCount(2, newest);
        Assert.AreEqual(1, newest.Single(p => p.Key.EndsWith("e1", StringComparison.Ordinal)).Value, "the real event is the newest cell of e1");

        // The bound of a file job is its first start, kept for the runs that resume it.
        MigrationCheckpoint checkpoint = workspace.ReadCheckpoint() ?? throw new AssertFailedException("no checkpoint");
        Assert.IsNotNull(checkpoint.SnapshotTime);
        Assert.IsTrue(checkpoint.SnapshotTime >= before.AddSeconds(-1) && checkpoint.SnapshotTime <= TimeProvider.System.GetUtcNow(), checkpoint.SnapshotTime.ToString());
    }
}
