using System.Globalization;
using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.IntegrationTests.Cli.Shards;

/// <summary>
/// Four <c>migrate</c> shard processes at once against one <c>emulator bigquery</c> process and the Bigtable
/// emulator, sharing one read session through a <c>bigtable:TABLE</c> checkpoint store; one is SIGKILLed midway and
/// run again. The emulator's count of rows served proves the table was read once, not once per shard.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateSharedSessionTests
{
    private const long Rows = 40_000;
    private const int Shards = 4;
    private const int Killed = 3;
    private const string Table = "projects/p/datasets/d/tables/t";

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_FourShardsOneKilledAndRerun_OneSessionEveryRowOnceReadOnceBeyondTheKill()
    {
        await using var workspace = MigrationWorkspace.Create("shared");
        var checkpoints = new TargetTable(EmulatorFixture.UniqueName("plan"));
        using var bigQuery = BigQueryEmulatorProcess.Start(workspace.Folder, Table + "=synthetic:rows=" + Rows.ToString(CultureInfo.InvariantCulture) + ",features=8");
        try
        {
            string endpoint = await bigQuery.WaitForEndpointAsync(Cancellation);
            FeatureSetFile.WriteSynthetic(workspace.PathOf("features.yaml"), "ignored_by_table_flag", features: 8);
            var environment = new Dictionary<string, string>(MigrationWorkspace.SharedEmulator) { [CliProcess.BigQueryHostVariable] = endpoint };
            string[] Arguments(int shard) =>
            [
                "migrate", "--source", "bigquery:" + Table, "--feature-set", "features.yaml", "--table", workspace.Table.Id,
                "--shard-index", shard.ToString(CultureInfo.InvariantCulture), "--shard-count", Shards.ToString(CultureInfo.InvariantCulture),
                "--checkpoint", "bigtable:" + checkpoints.Id, "--checkpoint-interval", "0.2",
                "--summary-json", Summary(shard), "--dead-letter", string.Create(CultureInfo.InvariantCulture, $"dl{shard}.jsonl"),

                // Each stream read by its own shard only, as the assertions count (MigrateWorkStealingTests: with it).
                "--no-work-stealing",
            ];

            MigrationCheckpoint left;
            Task<CliResult>[] others;
            using (CliProcess victim = workspace.Start(Arguments(Killed), environment))
            {
                others = [.. Enumerable.Range(0, Shards).Where(s => s != Killed).Select(s => workspace.RunAsync(Arguments(s), environment, Cancellation))];
                await victim.WaitUntilAsync(
                    async () => await ShardCheckpointAsync(checkpoints, Killed) is { } checkpoint && CrashingRun.Midway(checkpoint),
                    "the shard's checkpoint midway",
                    TimeSpan.FromMinutes(2),
                    Cancellation);
                victim.Kill(entireProcessTree: true);
                Assert.AreEqual(137, victim.ExitCode, victim.Output);
                left = await ShardCheckpointAsync(checkpoints, Killed) ?? throw new AssertFailedException("The killed shard left no checkpoint.");
            }

            CliResult rerun = await workspace.RunAsync(Arguments(Killed), environment, Cancellation);
            CliResult[] results = [.. await Task.WhenAll(others), rerun];
            foreach (CliResult result in results)
            {
                Assert.AreEqual(0, result.Code, result.Output);
            }

            MigrateAssert.OutputContains(rerun, "in 1 earlier run(s)");
            for (int shard = 0; shard < Shards; shard++)
            {
                // 16 equal streams (4 shards x 4 read streams), 4 per shard: a quarter of the table each.
                MigrateAssert.AllRowsOnce(workspace.ReadSummary(Summary(shard)), Rows / Shards, runs: shard == Killed ? 2 : 1);
            }

            await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);
            RowsServed served = await bigQuery.StopAsync(Cancellation);
            Assert.AreEqual(1, served.Sessions, "every shard reads the one session the first shard created:" + Environment.NewLine + served.Text);
            Assert.HasCount(Shards * 4, served.ByStream, served.Text);
            foreach ((int stream, long rows) in served.ByStream.Where(s => s.Key % Shards != Killed))
            {
                Assert.AreEqual(Rows / 16, rows, $"stream {stream} of a shard that was not killed is read once:{Environment.NewLine}{served.Text}");
            }

            // Read again: the killed shard's rows sent after its last committed checkpoint, no more.
            long reread = served.Total - Rows;
            long sentBeyondCheckpoint = served.ByStream.Where(s => s.Key % Shards == Killed).Sum(s => s.Value) - Rows / Shards;
            Assert.AreEqual(reread, sentBeyondCheckpoint, served.Text);
            // Its rerun starts at the committed offsets; what it had been sent beyond them (read ahead, in flight) is
            // all that is read twice.
            Assert.IsGreaterThanOrEqualTo(0, reread, served.Text);
            Assert.IsLessThanOrEqualTo(Rows / Shards - left.Totals.Read, reread, $"at most what the killed shard had not committed ({left.Totals.Read} committed):{Environment.NewLine}{served.Text}");
            TestContext.WriteLine($"rows served {served.Total} for {Rows} rows; read again {reread}; the killed shard had committed {left.Totals.Read} of {Rows / Shards}");
        }
        finally
        {
            await checkpoints.DeleteAsync();
        }
    }

    private static string Summary(int shard) => string.Create(CultureInfo.InvariantCulture, $"s{shard}.json");

    /// <summary>Shard <paramref name="shard"/>'s checkpoint row in the store, or null while there is none.</summary>
    private async Task<MigrationCheckpoint?> ShardCheckpointAsync(TargetTable store, int shard)
    {
        string marker = string.Create(CultureInfo.InvariantCulture, $"-shard{shard}of{Shards}-");
        MigrationCheckpoint? found = null;
        try
        {
            await store.ScanAsync(
                row =>
                {
                    if (row.Key.ToStringUtf8().Contains(marker, StringComparison.Ordinal))
                    {
                        Google.Cloud.Bigtable.V2.Cell cell = row.Families.Single(f => f.Name == BigtableCheckpointStore.Family).Columns.Single(c => c.Qualifier.ToStringUtf8() == "json").Cells[0];
                        found = MigrationCheckpoint.FromJson(cell.Value.ToStringUtf8(), row.Key.ToStringUtf8());
                    }
                },
                Cancellation);
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
            return null;
        }

        return found;
    }
}
