using StreamingFeatures.Checkpoints;
using StreamingFeatures.Jobs;
using StreamingFeatures.Sources.BigQuery;

namespace StreamingFeatures.Tests.Jobs;

/// <summary>
/// Work stealing over a real file store: a residual the split log gives a shard is read by that shard exactly once,
/// whichever of its runs asked for it.
/// </summary>
[TestClass]
public sealed class StreamStealingTests
{
    private static readonly BigQueryReadSessionInfo s_session = new("s", DateTimeOffset.UnixEpoch, ["s/streams/0", "s/streams/1"], null);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sf-stealing-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _notes = [];

    public TestContext TestContext { get; set; } = null!;

    private FileShardPlanStore Store => new(Path.Combine(_directory, "job.plan"));

    [TestCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [TestMethod]
    public async Task MoreWorkAsync_SplitAnswersAKilledRunAfterTheRerunLoaded_TheRerunReadsItOnce()
    {
        // Shard 1's first run asked for work and was killed; its rerun loads the log before shard 0 answers that request.
        await WantAsync(shard: 1, seen: 0);
        StreamStealing rerun = await LoadAsync(shard: 1);
        StreamStealing owner = await LoadAsync(shard: 0);

        bool split = await SplitAsync(owner, stream: 0);
        // Shard 0 is done too, so the rerun's own request is closed at once instead of after the wait for work.
        await WantAsync(shard: 0, seen: 1);
        List<int> read = await ReadAllAsync(rerun);

        Assert.IsTrue(split, "shard 0 saw the killed run's request");
        Assert.IsEmpty(rerun.GivenPartitions, "the rerun loaded the log before the split");
        CollectionAssert.AreEqual(new[] { 2 }, read, "the residual given to the killed run is read by the rerun, once");
        Assert.AreEqual("s/streams/r0", rerun.StreamOf(2));
    }

    [TestMethod]
    public async Task MoreWorkAsync_ResidualGivenBeforeTheRerunLoaded_IsNotReadAgain()
    {
        await WantAsync(shard: 1, seen: 0);
        StreamStealing owner = await LoadAsync(shard: 0);
        Assert.IsTrue(await SplitAsync(owner, stream: 0));
        await WantAsync(shard: 0, seen: 1);

        StreamStealing rerun = await LoadAsync(shard: 1);
        List<int> read = await ReadAllAsync(rerun);

        CollectionAssert.AreEqual(new[] { 2 }, rerun.GivenPartitions.ToArray(), "the rerun resumes the residual it was given");
        Assert.IsEmpty(read, "a residual the run resumes from its plan is not handed to it a second time");
    }

    [TestMethod]
    public async Task MoreWorkAsync_TwoResidualsGivenAtAnyIndex_EachReadOnceInOrder()
    {
        await WantAsync(shard: 1, seen: 0);
        StreamStealing rerun = await LoadAsync(shard: 1);
        StreamStealing owner = await LoadAsync(shard: 0);
        Assert.IsTrue(await SplitAsync(owner, stream: 0));
        // A second request of an earlier run, answered by a split of the other stream.
        await WantAsync(shard: 1, seen: 1);
        Assert.IsTrue(await SplitAsync(owner, stream: 1));
        await WantAsync(shard: 0, seen: 2);

        List<int> read = await ReadAllAsync(rerun);

        CollectionAssert.AreEqual(new[] { 2, 3 }, read);
    }

    [TestMethod]
    public async Task GivenAsync_ResidualHandedOverUnread_IsTheNewTakersOnly()
    {
        await WantAsync(shard: 1, seen: 0);
        StreamStealing first = await LoadAsync(shard: 0);
        StreamStealing second = await LoadAsync(shard: 1);
        Assert.IsTrue(await SplitAsync(first, stream: 0));
        await WantAsync(shard: 0, seen: 1);

        bool handed = await second.RecordSplitAsync(2, "s/streams/r0", null, "s/streams/r0", 0, TestContext.CancellationToken);

        Assert.IsTrue(handed);
        Assert.IsEmpty(await second.GivenAsync(TestContext.CancellationToken), "shard 1 handed partition 2 over: its last check must not miss it");
        CollectionAssert.AreEqual(new[] { 3 }, (await first.GivenAsync(TestContext.CancellationToken)).ToArray());
    }

    [TestMethod]
    public async Task MoreWorkAsync_StealingOff_ReadsWhatTheLogGaveAndAsksForNothing()
    {
        await WantAsync(shard: 1, seen: 0);
        StreamStealing rerun = await LoadAsync(shard: 1, active: false);
        Assert.IsTrue(await SplitAsync(await LoadAsync(shard: 0), stream: 0));
        await WantAsync(shard: 0, seen: 1);

        List<int> read = await ReadAllAsync(rerun);
        StreamSplitLog log = await Store.LoadSplitsAsync(TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { 2 }, read, "a residual an earlier run was given is read with stealing off too");
        Assert.AreEqual(new StreamSplit.Want(s_session.Name, 0), log.Wants[1], "no request for more work");
        CollectionAssert.AreEqual(new[] { 2 }, (await rerun.GivenAsync(TestContext.CancellationToken)).ToArray(), "the last check still holds it to them");
    }

    /// <summary>A request for work of <paramref name="shard"/>, made when the log's next index was <paramref name="seen"/>.</summary>
    private Task WantAsync(int shard, int seen) => Store.WantWorkAsync(shard, new StreamSplit.Want(s_session.Name, seen), TestContext.CancellationToken);

    /// <summary><paramref name="owner"/> splits session stream <paramref name="stream"/> for whoever waits.</summary>
    private Task<bool> SplitAsync(StreamStealing owner, int stream) => owner.RecordSplitAsync(
        stream, $"s/streams/{stream}", $"s/streams/p{stream}", $"s/streams/r{stream}", 500, TestContext.CancellationToken);

    private Task<StreamStealing> LoadAsync(int shard, bool active = true) =>
        StreamStealing.LoadAsync(Store, s_session, shard, shardCount: 2, TimeProvider.System, _notes.Add, _notes.Add, TestContext.CancellationToken, active);

    private async Task<List<int>> ReadAllAsync(StreamStealing stealing)
    {
        // Only a guard against a hang: with every other shard idle, the request is closed as soon as nothing is left.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var read = new List<int>();
        await foreach (int partition in stealing.MoreWorkAsync(() => 0, timeout.Token))
        {
            read.Add(partition);
        }

        return read;
    }
}
