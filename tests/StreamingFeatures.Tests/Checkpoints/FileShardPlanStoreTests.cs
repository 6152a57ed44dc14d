using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Tests.Checkpoints;

[TestClass]
public sealed class FileShardPlanStoreTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sf-plan-" + Guid.NewGuid().ToString("N"));

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
    public async Task ClaimAsync_TwoShards_TheSecondGetsTheFirstAsHolder()
    {
        var store = new FileShardPlanStore(PlanPath);

        string first = await store.ClaimAsync("shard 2 of 4", TestContext.CancellationToken);
        string second = await new FileShardPlanStore(PlanPath).ClaimAsync("shard 0 of 4", TestContext.CancellationToken);

        Assert.AreEqual("shard 2 of 4", first);
        Assert.AreEqual("shard 2 of 4", second);
        Assert.HasCount(1, Directory.GetFiles(_directory), "no temporary claim left behind");
    }

    [TestMethod]
    public async Task ClaimAsync_SameShardAgain_HoldsItStill()
    {
        var store = new FileShardPlanStore(PlanPath);
        await store.ClaimAsync("shard 1 of 2", TestContext.CancellationToken);

        Assert.AreEqual("shard 1 of 2", await store.ClaimAsync("shard 1 of 2", TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task ClaimAsync_ManyShardsAtOnce_ExactlyOneWinsAndAllNameIt()
    {
        string[] holders = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(
            () => new FileShardPlanStore(PlanPath).ClaimAsync($"shard {i} of 16", TestContext.CancellationToken))));

        string[] winners = [.. Enumerable.Range(0, 16).Where(i => holders[i] == $"shard {i} of 16").Select(i => holders[i])];
        Assert.HasCount(1, winners, string.Join(", ", holders));
        Assert.IsTrue(holders.All(h => h == winners[0] || h == "another shard"), string.Join(", ", holders));
    }

    [TestMethod]
    public async Task SaveAsync_SecondPlanOfAnotherSession_KeepsAndReturnsTheFirst()
    {
        Directory.CreateDirectory(_directory);
        var store = new FileShardPlanStore(PlanPath);
        await store.SaveAsync(Plan("sessions/first"), TestContext.CancellationToken);

        ShardPlan recorded = await new FileShardPlanStore(PlanPath).SaveAsync(Plan("sessions/second"), TestContext.CancellationToken);

        Assert.AreEqual("sessions/first", recorded.Session.Name);
        Assert.AreEqual("sessions/first", (await store.LoadAsync(TestContext.CancellationToken))!.Session.Name);
    }

    [TestMethod]
    public async Task LoadAsync_NothingSaved_Null()
    {
        Assert.IsNull(await new FileShardPlanStore(PlanPath).LoadAsync(TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task SaveAsync_ThenLoad_SameSessionStreamsAndJob()
    {
        Directory.CreateDirectory(_directory);
        var store = new FileShardPlanStore(PlanPath);
        var plan = new ShardPlan
        {
            Job = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["featureSet"] = "abc", ["shards"] = "4" },
            ShardCount = 4,
            CreatedBy = "shard 3 of 4",
            SnapshotTime = DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            Session = new ReadSessionCheckpoint("sessions/s", ["sessions/s/streams/0", "sessions/s/streams/1"], "AAEC", null, 10),
        };

        await store.SaveAsync(plan, TestContext.CancellationToken);
        ShardPlan? loaded = await store.LoadAsync(TestContext.CancellationToken);

        Assert.IsNotNull(loaded);
        Assert.AreEqual("sessions/s", loaded.Session.Name);
        CollectionAssert.AreEqual(plan.Session.Streams.ToList(), loaded.Session.Streams.ToList());
        Assert.AreEqual("AAEC", loaded.Session.ArrowSchemaBase64);
        Assert.AreEqual(plan.SnapshotTime, loaded.SnapshotTime);
        Assert.AreEqual("4", loaded.Job["shards"]);
        Assert.AreEqual("shard 3 of 4", loaded.CreatedBy);
    }

    private static ShardPlan Plan(string session) => new()
    {
        Job = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["shards"] = "2" },
        ShardCount = 2,
        CreatedBy = "shard 0 of 2",
        Session = new ReadSessionCheckpoint(session, [session + "/streams/0", session + "/streams/1"], "AAEC", null, 10),
    };
}
