using StreamingFeatures.Checkpoints;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.Tests.Cli.Migrate;

[TestClass]
public sealed class MigrationSettingsPlanOnlyTests
{
    [TestMethod]
    public void Problems_PlanOnlyShardedWithBigtableStore_None()
    {
        Assert.IsEmpty(Settings(shardCount: 4, new CheckpointStoreSpec.Bigtable("migration-checkpoints")).Problems());
    }

    [TestMethod]
    public void Problems_PlanOnlyWithOneShard_NamesPlanOnlyAndShardCount()
    {
        string problem = Settings(shardCount: 1, new CheckpointStoreSpec.Bigtable("migration-checkpoints")).Problems().Single();

        StringAssert.StartsWith(problem, "--plan-only is given with --shard-count 1");
        StringAssert.Contains(problem, "2 or more");
    }

    [TestMethod]
    public void Problems_PlanOnlyWithoutSharedStore_NamesCheckpoint()
    {
        string problem = Settings(shardCount: 4, CheckpointStoreSpec.None).Problems().Single();

        StringAssert.StartsWith(problem, "--checkpoint is none");
    }

    [TestMethod]
    public void Problems_PlanOnlyWithFilesSource_NamesPlanOnlyAndSource()
    {
        MigrationSettings settings = Settings(shardCount: 1, checkpoint: null) with { Source = "files:exports/*.csv", SourceKind = SourceKind.Files };

        StringAssert.StartsWith(settings.Problems().Single(), "--plan-only is given with --source files:exports/*.csv");
    }

    [TestMethod]
    public void Problems_WithoutPlanOnly_OneShardIsFine()
    {
        Assert.IsEmpty((Settings(shardCount: 1, checkpoint: null) with { PlanOnly = false }).Problems());
    }

    private static MigrationSettings Settings(int shardCount, CheckpointStoreSpec? checkpoint) => new()
    {
        Source = "bigquery:projects/p/datasets/d/tables/t",
        SourceKind = SourceKind.BigQuery,
        BigQueryTable = "projects/p/datasets/d/tables/t",
        VerifyText = "full",
        DeadLetterFile = new FileInfo("dl.jsonl"),
        ShardCount = shardCount,
        Checkpoint = checkpoint,
        PlanOnly = true,

        // As the flags' defaults give it.
        SampleRows = MigrationJobLimits.SampleRows.Default,
    };
}
