using System.Globalization;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// The zero-downtime cutover of the README, as processes: the subscription exists first, <c>ingest</c> runs on it,
/// then <c>migrate</c> backfills the same table from BigQuery at a snapshot taken after the subscription existed,
/// while a publisher keeps updating entities of the backfill with events newer and older than their rows. Event-time
/// cell timestamps make the order of writes irrelevant: the newest event wins whichever process wrote last.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class CutoverTests
{
    private const long Rows = 20_000;
    private const int Features = 8;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    [Timeout(120_000)] // The test takes well under a minute: this only stops a hang.
    public async Task Cutover_IngestRunsWhileMigrateBackfills_NewestEventWinsAndVerificationClean()
    {
        await using var workspace = MigrationWorkspace.Create("cutover");
        await using CutoverStream stream = await CutoverStream.CreateAsync(Cancellation);
        DateTimeOffset snapshot = DateTimeOffset.UtcNow;
        await using BigQueryStorageEmulator bigQuery = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), Cancellation);
        bigQuery.AddTable("p", "d", "t", SourceSpec.Sample(Rows));
        FeatureSetFile.WriteSynthetic(workspace.PathOf("features.yaml"), workspace.Table.Id, Features);
        var expected = new CutoverExpectation(workspace.Table.Id, Rows, Features);
        var environment = new Dictionary<string, string>(MigrationWorkspace.SharedEmulator)
        {
            [CliProcess.PubSubHostVariable] = EmulatorFixture.PubSub.Endpoint,
            [CliProcess.BigQueryHostVariable] = bigQuery.Endpoint,
        };

        using CliProcess ingest = workspace.Start(
            ["ingest", "--feature-set", "features.yaml", "--table", workspace.Table.Id, "--topic", stream.Topic, "--subscription", stream.Subscription,
             "--dead-letter-topic", stream.DeadLetterTopic, "--publish-rate", "0", "--http-port", "0"],
            environment);

        // Newer events that land before the backfill reaches their rows: the backfill then writes the older cells.
        IReadOnlyList<CutoverEvent> early = expected.Next(500, newerShare: 1.0);
        await stream.PublishAsync(early, Cancellation);
        await WaitForAsync(ingest, expected, early, "the early events in the table");

        using CliProcess migrate = workspace.Start(
            ["migrate", "--source", "bigquery:projects/p/datasets/d/tables/t", "--feature-set", "features.yaml", "--table", workspace.Table.Id,
             "--snapshot-time", snapshot.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), "--summary-json", "s.json"],
            environment);
        int during = 0;
        while (!migrate.HasExited)
        {
            IReadOnlyList<CutoverEvent> events = expected.Next(100, newerShare: 0.5);
            await stream.PublishAsync(events, Cancellation);
            during += events.Count;
            await Task.Delay(100, Cancellation);
        }

        CliResult migrated = await migrate.WaitAsync(Cancellation);
        Assert.AreEqual(0, migrated.Code, migrated.Output);

        // After the backfill: older events must not become the newest cells, newer ones must.
        IReadOnlyList<CutoverEvent> late = expected.Next(1_000, newerShare: 0.3);
        await stream.PublishAsync(late, Cancellation);
        IReadOnlyList<string> differences = await ConvergeAsync(expected);
        await ingest.TerminateAsync(Cancellation);
        CliResult ingested = await ingest.WaitAsync(Cancellation, TimeSpan.FromSeconds(60));

        MigrationSummary summary = workspace.ReadSummary("s.json");
        string figures = summary.ToJson();
        TestContext.WriteLine($"{during} events published while migrate ran; {expected.Published} in all; superseded at read-back: {summary.Superseded}");
        Assert.IsGreaterThan(0, during, "events arrived while the backfill ran");
        Assert.AreEqual(Rows, summary.RowsRead, figures);
        Assert.AreEqual(Rows, summary.RowsVerified, figures);
        Assert.AreEqual(0, summary.Mismatches, figures);
        Assert.AreEqual(0, summary.Missing, figures);
        Assert.AreEqual(0, summary.DeadLettered, figures);
        Assert.IsEmpty(differences, string.Join(Environment.NewLine, differences));
        Assert.AreEqual(0, ingested.Code, ingested.Output);
    }

    /// <summary>Waits until the table holds the newest values of <paramref name="entities"/>' events, while ingest runs.</summary>
    private async Task WaitForAsync(CliProcess ingest, CutoverExpectation expected, IReadOnlyList<CutoverEvent> entities, string what) =>
        await ingest.WaitUntilAsync(
            async () => (await expected.DifferencesAsync(EmulatorTable(expected), [.. entities.Select(e => e.Entity)], Cancellation)).Count == 0,
            what,
            TimeSpan.FromSeconds(30),
            Cancellation);

    /// <summary>The differences left once the table stops changing towards the expectation (or after 30 s).</summary>
    private async Task<IReadOnlyList<string>> ConvergeAsync(CutoverExpectation expected)
    {
        long deadline = Environment.TickCount64 + 30_000;
        IReadOnlyList<string> differences;
        do
        {
            differences = await expected.DifferencesAsync(EmulatorTable(expected), null, Cancellation);
            if (differences.Count == 0)
            {
                break;
            }

            await Task.Delay(250, Cancellation);
        }
        while (Environment.TickCount64 < deadline);

        return differences;
    }

    private static TargetTable EmulatorTable(CutoverExpectation expected) => new(expected.TableId);
}
