using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.IntegrationTests.Cli;
using StreamingFeatures.Jobs;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.Jobs;

/// <summary>
/// A read session that expires mid-run, in process: the BigQuery emulator's clock jumps past the session's life once
/// rows flow, so every read of it fails FAILED_PRECONDITION "expired". The job (each shard) goes on in a new session
/// at the same snapshot, created once, and reports what it read again; every row lands.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrationJobSessionRenewalTests
{
    private const long Rows = 60_000;
    private const string Table = "projects/p/datasets/d/tables/t";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public async Task RunAsync_SessionExpiresMidRun_NewSessionAtSameSnapshotEveryRowLandsReReadReported(int shards)
    {
        CancellationToken cancellationToken = TestContext.CancellationToken;
        var table = new TargetTable(EmulatorFixture.UniqueName("renew"));
        var checkpoints = new TargetTable(EmulatorFixture.UniqueName("renewplan"));
        string folder = Directory.CreateTempSubdirectory("sf-renew-").FullName;
        var clock = new JumpingClock();
        await using BigQueryStorageEmulator bigQuery = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions { TimeProvider = clock, MaxRowsPerResponse = 500 }, cancellationToken);
        bigQuery.AddTable("p", "d", "t", new SyntheticSource(new SyntheticSourceOptions { Rows = Rows, Features = 8 }));
        using Grpc.Net.Client.GrpcChannel channel = bigQuery.CreateChannel();
        var jobs = new List<MigrationJob>();
        try
        {
            for (int shard = 0; shard < shards; shard++)
            {
                MigrationJob job = await ConnectedAsync(table, checkpoints, folder, shard, shards, cancellationToken);
                jobs.Add(job);
                await job.PrepareAsync(channel.CreateCallInvoker(), cancellationToken);
                await job.ProvisionAsync(cancellationToken);
            }

            Task<MigrationResult>[] runs = [.. jobs.Select(j => Task.Run(() => j.RunAsync(cancellationToken), cancellationToken))];
            while (jobs.Sum(j => j.RowsDone) == 0 && !runs.Any(r => r.IsCompleted))
            {
                await Task.Delay(5, cancellationToken);
            }

            // Past the first session's life: every later read of it is refused, mid-stream too.
            clock.Jump(TimeSpan.FromHours(7));
            MigrationResult[] results = await Task.WhenAll(runs);

            // A shard that lost the race to record the new session leaves its own unread (sessions cost nothing unread).
            IReadOnlyList<SessionRowsServed> served = [.. bigQuery.RowsServed().Where(s => s.Total > 0)];
            string text = string.Join(Environment.NewLine, served.Select(s => $"{s.Session}: {string.Join(", ", s.ByStream.Select(p => $"{p.Key}={p.Value}"))}"));
            Assert.HasCount(2, served, "rows come from the expired session and exactly one new session:" + Environment.NewLine + text);
            string first = results[0].Summary.SessionRenewals.Single().ExpiredSession;
            SessionRowsServed renewed = served.Single(s => s.Session != first);
            long readAgain = 0;
            foreach (MigrationResult result in results)
            {
                SessionRenewal renewal = result.Summary.SessionRenewals.Single();
                Assert.AreEqual(first, renewal.ExpiredSession, result.Summary.ToJson());
                Assert.AreEqual(renewed.Session, renewal.NewSession, result.Summary.ToJson());
                Assert.AreEqual(1, renewal.Generation, result.Summary.ToJson());
                Assert.AreEqual(renewed.Session, result.Summary.ReadSession?.Name, result.Summary.ToJson());
                MigrateAssert.AllRowsOnce(result.Summary, Rows / shards, runs: 1);
                readAgain += renewal.RowsReadAgain;
            }

            // The new session is read once, whole; of the expired one, what was read (and written) is read again, and
            // at most the rows in flight when it expired besides.
            Assert.AreEqual(Rows, renewed.ByStream.Values.Sum(), text);
            long expiredServed = served.Single(s => s.Session == first).ByStream.Values.Sum();
            Assert.IsGreaterThanOrEqualTo(readAgain, expiredServed, text);
            Assert.IsTrue(jobs.All(j => j.Finished));
            await MigrateAssert.TableHoldsSampleAsync(table, Rows, cancellationToken);
            TestContext.WriteLine($"{shards} shard(s): expired session served {expiredServed} rows, {readAgain} of them written and reported read again; the new one served {Rows}");
        }
        finally
        {
            foreach (MigrationJob job in jobs)
            {
                await job.DisposeAsync();
            }

            await table.DeleteAsync();
            await checkpoints.DeleteAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<MigrationJob> ConnectedAsync(TargetTable table, TargetTable checkpoints, string folder, int shard, int shards, CancellationToken cancellationToken)
    {
        var job = new MigrationJob(new MigrationJobOptions
        {
            Source = new MigrationSource.BigQuery(Table),
            FeatureSet = new SyntheticSource(new SyntheticSourceOptions { Rows = Rows, Features = 8 }).FeatureSet(table.Id),
            Target = "emulator",
            Checkpoint = new CheckpointStoreSpec.Bigtable(checkpoints.Id),
            CheckpointInterval = TimeSpan.FromMilliseconds(100),
            ShardIndex = shard,
            ShardCount = shards,
            DeadLetterFile = Path.Combine(folder, $"dead-letters{shard}.jsonl"),
        });
        var bigtable = new BigtableConnectionOptions { EmulatorHost = EmulatorFixture.Bigtable.Endpoint, Project = "local", Instance = "local" };
        await job.ConnectAsync(bigtable, emulator: null, cancellationToken);
        return job;
    }

    /// <summary>The real clock, moved forward on demand (the emulator's view of time only).</summary>
    private sealed class JumpingClock : TimeProvider
    {
        private long _ticks;

        public void Jump(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _ticks));
    }
}
