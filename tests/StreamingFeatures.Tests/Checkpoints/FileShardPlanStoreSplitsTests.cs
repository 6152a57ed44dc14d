using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Tests.Checkpoints;

[TestClass]
public sealed class FileShardPlanStoreSplitsTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sf-splits-" + Guid.NewGuid().ToString("N"));

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
    public async Task LoadSplitsAsync_NothingWritten_IsEmpty()
    {
        StreamSplitLog log = await Store.LoadSplitsAsync(TestContext.CancellationToken);

        Assert.IsEmpty(log.Entries);
        Assert.AreEqual(0, log.Next);
    }

    [TestMethod]
    public async Task TryAddSplitAsync_SameIndexTwice_OnlyTheFirstIsRecorded()
    {
        StreamSplit first = Split(taker: 1, owner: 0);
        StreamSplit second = Split(taker: 2, owner: 3);

        bool won = await Store.TryAddSplitAsync(0, first, TestContext.CancellationToken);
        bool lost = await Store.TryAddSplitAsync(0, second, TestContext.CancellationToken);
        StreamSplitLog log = await Store.LoadSplitsAsync(TestContext.CancellationToken);

        Assert.IsTrue(won);
        Assert.IsFalse(lost);
        Assert.AreEqual(first, log.Entries[0]);
        Assert.AreEqual(1, log.Next);
        Assert.IsEmpty(Directory.GetFiles(_directory, "*.tmp"), "no temporary file left behind");
        Assert.HasCount(1, Directory.GetFiles(_directory, "*.split-*"));
    }

    [TestMethod]
    public async Task TryAddSplitAsync_ManyWritersOneIndex_ExactlyOneWins()
    {
        bool[] won = await Task.WhenAll(Enumerable.Range(0, 8).Select(owner => Task.Run(() => Store.TryAddSplitAsync(4, Split(taker: 9, owner: owner), TestContext.CancellationToken))));

        Assert.AreEqual(1, won.Count(w => w));
    }

    [TestMethod]
    public async Task LoadSplitsAsync_IndexClaimedByAWriterThatDied_VoidedAndTheLogGoesOnPastIt()
    {
        var time = new FakeTimeProvider();
        var store = new FileShardPlanStore(Path.Combine(_directory, "job.plan"), time);
        await store.TryAddSplitAsync(0, Split(taker: 1, owner: 0), TestContext.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_directory, "job.plan.claim000001"), "{\"session\":", TestContext.CancellationToken);

        StreamSplitLog fresh = await store.LoadSplitsAsync(TestContext.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(11));
        StreamSplitLog dead = await store.LoadSplitsAsync(TestContext.CancellationToken);
        bool late = await store.TryAddSplitAsync(1, Split(taker: 1, owner: 2), TestContext.CancellationToken);
        bool next = await store.TryAddSplitAsync(2, Split(taker: 1, owner: 2), TestContext.CancellationToken);
        StreamSplitLog log = await Store.LoadSplitsAsync(TestContext.CancellationToken);

        Assert.AreEqual(1, fresh.Next, "a claim just seen may still become an entry");
        Assert.AreEqual(2, dead.Next, "index 1 is void");
        Assert.IsFalse(late, "a void index is never written");
        Assert.IsTrue(next);
        CollectionAssert.AreEqual(new[] { 0, 2 }, log.Entries.Keys.ToArray());
        Assert.AreEqual(3, log.Next);
        Assert.IsTrue(File.Exists(Path.Combine(_directory, "job.plan.void-000001")));
    }

    [TestMethod]
    public async Task TryAddSplitAsync_Written_LeavesNoClaim()
    {
        bool won = await Store.TryAddSplitAsync(0, Split(taker: 1, owner: 0), TestContext.CancellationToken);

        Assert.IsTrue(won);
        Assert.IsEmpty(Directory.GetFiles(_directory, "job.plan.claim*"), "the claim became the entry");
    }

    [TestMethod]
    public async Task LoadSplitsAsync_IndexJustClaimed_IsStillTheNext()
    {
        // A live writer claims, then moves its entry in: until then a close at that index must lose to it.
        await File.WriteAllBytesAsync(Path.Combine(Directory.CreateDirectory(_directory).FullName, "job.plan.claim000000"), [], TestContext.CancellationToken);

        StreamSplitLog log = await Store.LoadSplitsAsync(TestContext.CancellationToken);

        Assert.AreEqual(0, log.Next);
        Assert.IsFalse(await Store.TryAddSplitAsync(0, Split(taker: 1, owner: 0), TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task WantWorkAsync_Twice_TheLatestRequestStands()
    {
        await Store.WantWorkAsync(1, new StreamSplit.Want("s", 0), TestContext.CancellationToken);
        await Store.WantWorkAsync(1, new StreamSplit.Want("s", 3), TestContext.CancellationToken);

        StreamSplitLog log = await Store.LoadSplitsAsync(TestContext.CancellationToken);

        Assert.AreEqual(new StreamSplit.Want("s", 3), log.Wants[1]);
    }

    internal static StreamSplit Split(int taker, int owner, int partition = 0, int index = 0, string session = "s") => new()
    {
        Session = session,
        Taker = taker,
        Owner = owner,
        Partition = partition,
        Original = $"{session}/streams/{partition}",
        Primary = $"{session}/streams/p{index}",
        Residual = $"{session}/streams/r{index}",
        ResidualPartition = 4 + index,
        OwnerOffset = 100,
        At = DateTimeOffset.UnixEpoch,
    };
}
