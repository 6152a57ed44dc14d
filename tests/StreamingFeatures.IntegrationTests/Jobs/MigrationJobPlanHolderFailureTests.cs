using System.Diagnostics;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.IntegrationTests.Cli;
using StreamingFeatures.Jobs;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.Jobs;

/// <summary>
/// The shard holding the plan's creation claim cannot create the read session (the table is missing): it records why,
/// and a shard waiting for the plan stops at once with its reason and exit class instead of polling to its deadline.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class MigrationJobPlanHolderFailureTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task PrepareAsync_HolderCannotCreateSession_WaitingShardStopsAtOnceWithItsReason()
    {
        CancellationToken cancellationToken = TestContext.CancellationToken;
        var table = new TargetTable(EmulatorFixture.UniqueName("holder"));
        var checkpoints = new TargetTable(EmulatorFixture.UniqueName("holderplan"));
        string folder = Directory.CreateTempSubdirectory("sf-holder-").FullName;
        await using BigQueryStorageEmulator bigQuery = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), cancellationToken);
        using Grpc.Net.Client.GrpcChannel channel = bigQuery.CreateChannel();
        try
        {
            await using (MigrationJob holder = await ConnectedAsync(table, checkpoints, folder, 0, cancellationToken))
            {
                MigrationInputException refused = await Assert.ThrowsExactlyAsync<MigrationInputException>(() => holder.PrepareAsync(channel.CreateCallInvoker(), cancellationToken));
                StringAssert.Contains(refused.Message, "not found", StringComparison.OrdinalIgnoreCase);
            }

            await using MigrationJob waiting = await ConnectedAsync(table, checkpoints, folder, 1, cancellationToken);
            var clock = Stopwatch.StartNew();
            MigrationInputException stopped = await Assert.ThrowsExactlyAsync<MigrationInputException>(() => waiting.PrepareAsync(channel.CreateCallInvoker(), cancellationToken));
            StringAssert.StartsWith(stopped.Message, "shard 0 of 2 could not create the read session: ", StringComparison.Ordinal);
            Assert.IsLessThan(TimeSpan.FromSeconds(10), clock.Elapsed, "the waiting shard stops at once, not at its retry deadline");
        }
        finally
        {
            await table.DeleteAsync();
            await checkpoints.DeleteAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<MigrationJob> ConnectedAsync(TargetTable table, TargetTable checkpoints, string folder, int shard, CancellationToken cancellationToken)
    {
        var job = new MigrationJob(new MigrationJobOptions
        {
            Source = new MigrationSource.BigQuery("projects/p/datasets/d/tables/missing"),
            FeatureSet = new SyntheticSource(new SyntheticSourceOptions { Rows = 10, Features = 8 }).FeatureSet(table.Id),
            Target = "emulator",
            Checkpoint = new CheckpointStoreSpec.Bigtable(checkpoints.Id),
            ShardIndex = shard,
            ShardCount = 2,
            DeadLetterFile = Path.Combine(folder, $"dead-letters{shard}.jsonl"),
        });
        var bigtable = new BigtableConnectionOptions { EmulatorHost = EmulatorFixture.Bigtable.Endpoint, Project = "local", Instance = "local" };
        await job.ConnectAsync(bigtable, emulator: null, cancellationToken);
        return job;
    }
}
