using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.IntegrationTests.Cli;
using StreamingFeatures.Jobs;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.Jobs;

/// <summary>
/// Resume in process, on the fixture's Bigtable emulator: a job whose checkpoint store goes dead at an instant, as a
/// killed process's would (nothing it saves later arrives, not even its last save), is abandoned; a new job over the
/// same store and emulator finishes, and every row is there once. The process-level kill tests are in Cli/.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class MigrationJobResumeTests
{
    private const long Rows = 100_000;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RunAsync_EarlierJobAbandonedWithoutFlushing_NewJobFinishesWithEveryRowOnce()
    {
        CancellationToken cancellationToken = TestContext.CancellationToken;
        var table = new TargetTable(EmulatorFixture.UniqueName("jobresume"));
        string folder = Directory.CreateTempSubdirectory("sf-jobresume-").FullName;
        try
        {
            var store = new FileCheckpointStore(Path.Combine(folder, "checkpoint.json"));
            using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await using (MigrationJob first = await ConnectedAsync(table, folder, new DyingStore(store, abandon), cancellationToken))
            {
                await first.PrepareAsync(null, cancellationToken);
                await first.ProvisionAsync(cancellationToken);
                await first.RunAsync(abandon.Token);
                Assert.IsFalse(first.Finished);
            }

            MigrationCheckpoint? left = await store.LoadAsync(cancellationToken);
            Assert.IsNotNull(left);
            Assert.IsFalse(left.Completed);
            Assert.IsTrue(left.Totals.Read is > 0 and < Rows, $"the abandoned run left {left.Totals.Read} of {Rows} rows committed");

            await using MigrationJob second = await ConnectedAsync(table, folder, store, cancellationToken);
            Assert.AreEqual(left.Totals.Read, second.Checkpoint?.Totals.Read);
            await second.PrepareAsync(null, cancellationToken);
            await second.ProvisionAsync(cancellationToken);
            MigrationResult result = await second.RunAsync(cancellationToken);

            Assert.IsTrue(second.Finished);
            MigrateAssert.AllRowsOnce(result.Summary, Rows, runs: 2);
            await MigrateAssert.TableHoldsSampleAsync(table, Rows, cancellationToken);
        }
        finally
        {
            await table.DeleteAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<MigrationJob> ConnectedAsync(TargetTable table, string folder, ICheckpointStore store, CancellationToken cancellationToken)
    {
        var job = new MigrationJob(new MigrationJobOptions
        {
            Source = new MigrationSource.Synthetic(Rows, Features: 8),
            FeatureSet = new SyntheticSource(new SyntheticSourceOptions { Rows = Rows, Features = 8 }).FeatureSet(table.Id),
            Target = "emulator",
            Checkpoint = new CheckpointStoreSpec.Custom(store),
            CheckpointInterval = TimeSpan.FromMilliseconds(100),
            DeadLetterFile = Path.Combine(folder, "dead-letters.jsonl"),
        });
        try
        {
            var bigtable = new BigtableConnectionOptions { EmulatorHost = EmulatorFixture.Bigtable.Endpoint, Project = "local", Instance = "local" };
            await job.ConnectAsync(bigtable, emulator: null, cancellationToken);
            return job;
        }
        catch
        {
            await job.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Saves through to <paramref name="inner"/> until the first save with rows committed (and more to come), then
    /// drops every save and abandons the run: the store holds what a process killed right then would have left.
    /// </summary>
    private sealed class DyingStore(ICheckpointStore inner, CancellationTokenSource abandon) : ICheckpointStore
    {
        private volatile bool _dead;

        public string Description => inner.Description;

        public Task<MigrationCheckpoint?> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

        public async Task SaveAsync(MigrationCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            if (_dead)
            {
                return;
            }

            await inner.SaveAsync(checkpoint, cancellationToken);
            if (checkpoint.Totals.Read > 0 && !checkpoint.Completed)
            {
                _dead = true;

                // Off this save's thread: the stop drains the graph, which the checkpoint writer must not wait on.
                _ = Task.Run(abandon.Cancel, CancellationToken.None);
            }
        }
    }
}
