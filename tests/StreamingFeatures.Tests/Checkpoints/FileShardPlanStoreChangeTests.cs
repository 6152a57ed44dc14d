using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Tests.Checkpoints;

/// <summary>Changes of a recorded plan under the lock file, and the plan holder's failure marker beside it.</summary>
[TestClass]
public sealed class FileShardPlanStoreChangeTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sf-plan-change-" + Guid.NewGuid().ToString("N"));

    public TestContext TestContext { get; set; } = null!;

    private string PlanPath => Path.Combine(_directory, "job.plan");

    [TestCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [TestMethod]
    public async Task ReplaceAsync_ManyShardsFromTheSameVersion_ExactlyOneChangeAppliesAndAllSeeIt()
    {
        ShardPlan saved = await SavedAsync();

        ShardPlan[] results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(
            () => new FileShardPlanStore(PlanPath).ReplaceAsync(saved, saved with { Version = saved.Version + 1, CreatedBy = $"shard {i} of 16" }, TestContext.CancellationToken))));

        string[] winners = [.. results.Select(r => r.CreatedBy).Distinct()];
        Assert.HasCount(1, winners, "every shard gets the one change that applied");
        ShardPlan? recorded = await new FileShardPlanStore(PlanPath).LoadAsync(TestContext.CancellationToken);
        Assert.AreEqual(winners[0], recorded!.CreatedBy);
        Assert.AreEqual(saved.Version + 1, recorded.Version);
        Assert.IsEmpty(Directory.GetFiles(_directory, "*.tmp"), "no temporary file left behind");
    }

    [TestMethod]
    public async Task ReplaceAsync_FromAnOlderVersion_KeepsAndReturnsTheRecordedPlan()
    {
        ShardPlan saved = await SavedAsync();
        var store = new FileShardPlanStore(PlanPath);
        ShardPlan newer = await store.ReplaceAsync(saved, saved with { Version = saved.Version + 1, Generation = 1 }, TestContext.CancellationToken);

        ShardPlan stale = await store.ReplaceAsync(saved, saved with { Version = saved.Version + 1, Generation = 7 }, TestContext.CancellationToken);

        Assert.AreEqual(1, stale.Generation, "a change made from a version no longer recorded does not apply");
        Assert.AreEqual(newer.Version, (await store.LoadAsync(TestContext.CancellationToken))!.Version);
    }

    [TestMethod]
    public async Task ReplaceAsync_NoPlanRecorded_ThrowsNamingThePlan()
    {
        Directory.CreateDirectory(_directory);
        ShardPlan plan = Plan();

        CheckpointException e = await Assert.ThrowsExactlyAsync<CheckpointException>(
            () => new FileShardPlanStore(PlanPath).ReplaceAsync(plan, plan with { Version = 1 }, TestContext.CancellationToken));

        StringAssert.Contains(e.Message, PlanPath);
    }

    [TestMethod]
    public async Task FailAsync_ThenLoadFailure_ThenClear_RoundTripsAndRemovesIt()
    {
        await SavedAsync();
        var store = new FileShardPlanStore(PlanPath);
        var failure = new ShardPlanFailure("shard 0 of 2", "--source names no table", UserError: true, DateTimeOffset.Parse("2026-12-03T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        Assert.IsNull(await store.LoadFailureAsync(TestContext.CancellationToken));

        await store.FailAsync(failure, TestContext.CancellationToken);
        ShardPlanFailure? seen = await new FileShardPlanStore(PlanPath).LoadFailureAsync(TestContext.CancellationToken);
        await store.ClearFailureAsync(TestContext.CancellationToken);

        Assert.AreEqual(failure, seen, "another shard reads the same failure");
        Assert.IsNull(await store.LoadFailureAsync(TestContext.CancellationToken));
        Assert.IsNotNull(await store.LoadAsync(TestContext.CancellationToken), "clearing the failure keeps the plan");
    }

    private async Task<ShardPlan> SavedAsync()
    {
        Directory.CreateDirectory(_directory);
        return await new FileShardPlanStore(PlanPath).SaveAsync(Plan(), TestContext.CancellationToken);
    }

    private static ShardPlan Plan() => new()
    {
        Job = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["shards"] = "2" },
        ShardCount = 2,
        CreatedBy = "shard 0 of 2",
        Session = new ReadSessionCheckpoint("sessions/s", ["sessions/s/streams/0", "sessions/s/streams/1"], "AAEC", null, 10),
    };
}
