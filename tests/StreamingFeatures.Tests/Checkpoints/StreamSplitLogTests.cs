using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Tests.Checkpoints;

[TestClass]
public sealed class StreamSplitLogTests
{
    private static readonly string[] s_streams = ["s/streams/0", "s/streams/1", "s/streams/2", "s/streams/3"];

    [TestMethod]
    public void StreamOf_PartitionSplitTwice_ReadsTheLatestPrimary()
    {
        StreamSplitLog log = Log(
            (0, FileShardPlanStoreSplitsTests.Split(taker: 1, owner: 2, partition: 2, index: 0)),
            (1, FileShardPlanStoreSplitsTests.Split(taker: 3, owner: 2, partition: 2, index: 1)));

        Assert.AreEqual("s/streams/p1", log.StreamOf(2, s_streams));
        Assert.AreEqual("s/streams/1", log.StreamOf(1, s_streams));
        Assert.AreEqual("s/streams/r0", log.StreamOf(4, s_streams), "the residual partition reads its residual");
    }

    [TestMethod]
    public void StreamOf_HandOver_TakerReadsTheWholeStreamOwnerNone()
    {
        var handOver = new StreamSplit { Session = "s", Taker = 1, Owner = 2, Partition = 2, Original = "s/streams/2", Residual = "s/streams/2", ResidualPartition = 4 };
        StreamSplitLog log = Log((0, StreamSplit.FromJson(handOver.ToJson(), "split-000000")));

        Assert.IsTrue(log.Entries[0].IsHandOver, "a split entry without a primary is a hand-over, also read back");
        Assert.AreEqual("s/streams/2", log.StreamOf(4, s_streams), "the taker reads the stream from its start");
        Assert.ThrowsExactly<CheckpointException>(() => log.StreamOf(2, s_streams), "its owner must not read it again");
        CollectionAssert.AreEqual(new[] { 2 }, log.HandedOverBy(2).ToArray());
        CollectionAssert.AreEqual(new[] { 4 }, log.GivenTo(1).Select(e => e.ResidualPartition).ToArray());
    }

    [TestMethod]
    public void StreamOf_UnknownPartition_Throws()
    {
        Assert.ThrowsExactly<CheckpointException>(() => StreamSplitLog.Empty.StreamOf(9, s_streams));
    }

    [TestMethod]
    public void Of_AnotherSessionsEntries_DoNotApply()
    {
        StreamSplitLog log = Log((0, FileShardPlanStoreSplitsTests.Split(taker: 1, owner: 2, partition: 2, session: "old"))).Of("s");

        Assert.AreEqual("s/streams/2", log.StreamOf(2, s_streams));
        Assert.IsEmpty(log.GivenTo(1));
        Assert.AreEqual(1, log.Next, "indices stay unique across sessions");
    }

    [TestMethod]
    public void Waiting_RequestAnsweredBySplitOrClose_NoLongerWaits()
    {
        var wants = new Dictionary<int, StreamSplit.Want> { [1] = new("s", 1), [2] = new("s", 1), [3] = new("s", 0) };
        StreamSplitLog log = new(
            new Dictionary<int, StreamSplit>
            {
                [0] = FileShardPlanStoreSplitsTests.Split(taker: 3, owner: 0, index: 0),
                [1] = new StreamSplit { Session = "s", Taker = 2 },
            },
            wants);

        CollectionAssert.AreEqual(new[] { 1 }, log.Waiting(except: 0).ToArray());
        Assert.IsEmpty(log.Waiting(except: 1));
    }

    [TestMethod]
    public void AllIdle_ShardNeverHeardFrom_IsNotIdle()
    {
        var wants = new Dictionary<int, StreamSplit.Want> { [0] = new("s", 0), [1] = new("s", 0) };
        StreamSplitLog log = new(new Dictionary<int, StreamSplit>(), wants);

        Assert.IsTrue(log.AllIdle(except: 0, shardCount: 2));
        Assert.IsFalse(log.AllIdle(except: 0, shardCount: 3));
    }

    [TestMethod]
    public void AllIdle_ShardGivenASplitAfterItsRequest_IsReading()
    {
        var wants = new Dictionary<int, StreamSplit.Want> { [1] = new("s", 0) };
        StreamSplitLog log = new(new Dictionary<int, StreamSplit> { [0] = FileShardPlanStoreSplitsTests.Split(taker: 1, owner: 0) }, wants);

        Assert.IsFalse(log.AllIdle(except: 0, shardCount: 2));
    }

    [TestMethod]
    public void Want_ToTextAndParse_RoundTrips()
    {
        var want = new StreamSplit.Want("projects/p/locations/us/sessions/abc", 12);

        Assert.AreEqual(want, StreamSplit.Want.Parse(want.ToText()));
        Assert.IsNull(StreamSplit.Want.Parse("garbage"));
    }

    private static StreamSplitLog Log(params (int Index, StreamSplit Entry)[] entries) =>
        new(entries.ToDictionary(e => e.Index, e => e.Entry), new Dictionary<int, StreamSplit.Want>());
}
