using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Tests.Checkpoints;

[TestClass]
public sealed class ProgressTrackerTests
{
    [TestMethod]
    public void CommittedOffset_UnseenPartition_Zero()
    {
        Assert.AreEqual(0L, new ProgressTracker().CommittedOffset(7));
    }

    [TestMethod]
    public void Complete_RangesOfSeveralPartitions_CommitsEachPrefix()
    {
        var tracker = new ProgressTracker();

        tracker.Complete([Range(0, 0, 10), Range(1, 0, 4), Range(1, 8, 12)]);

        Assert.AreEqual(10L, tracker.CommittedOffset(0));
        Assert.AreEqual(4L, tracker.CommittedOffset(1), "rows 4..8 of partition 1 are not done");
        (IReadOnlyDictionary<int, PartitionCheckpoint> committed, int pending) = tracker.Snapshot();
        Assert.HasCount(2, committed);
        Assert.AreEqual(new PartitionCheckpoint(10, Stats(10)), committed[0]);
        Assert.AreEqual(new PartitionCheckpoint(4, Stats(4)), committed[1]);
        Assert.AreEqual(1, pending);
    }

    [TestMethod]
    public void RowsDone_CountsPendingRowsToo()
    {
        var tracker = new ProgressTracker();

        tracker.Complete([Range(0, 50, 60)]);
        tracker.Complete([Range(0, 0, 5)]);

        Assert.AreEqual(15L, tracker.RowsDone);
        Assert.AreEqual(5L, tracker.CommittedOffset(0));
    }

    [TestMethod]
    public void Version_EveryCompleteMovesIt()
    {
        var tracker = new ProgressTracker();
        long before = tracker.Version;

        tracker.Complete([Range(0, 0, 1)]);
        long afterFirst = tracker.Version;
        tracker.Complete([Range(0, 5, 6)]);

        Assert.AreNotEqual(before, afterFirst);
        Assert.AreNotEqual(afterFirst, tracker.Version, "a pending range is progress too (RowsDone moved)");
    }

    [TestMethod]
    public void Version_SnapshotAndQueries_DoNotMoveIt()
    {
        var tracker = new ProgressTracker();
        tracker.Complete([Range(0, 0, 1)]);
        long version = tracker.Version;

        _ = tracker.Snapshot();
        _ = tracker.CommittedOffset(0);

        Assert.AreEqual(version, tracker.Version);
    }

    [TestMethod]
    public void Constructor_EarlierRun_ResumesFromItsOffsetsAndFigures()
    {
        var earlier0 = new RowStats(100, 97, 3, 97, 1, 0, 5, 111, 222);
        var earlier2 = new RowStats(40, 40, 0, 0, 0, 0, 0, 333, 444);
        var tracker = new ProgressTracker(new Dictionary<int, PartitionCheckpoint>
        {
            [0] = new(100, earlier0),
            [2] = new(40, earlier2),
        });

        Assert.AreEqual(100L, tracker.CommittedOffset(0));
        Assert.AreEqual(40L, tracker.CommittedOffset(2));
        Assert.AreEqual(140L, tracker.RowsDone);

        tracker.Complete([Range(0, 100, 120)]);

        (IReadOnlyDictionary<int, PartitionCheckpoint> committed, int pending) = tracker.Snapshot();
        Assert.AreEqual(new PartitionCheckpoint(120, earlier0 + Stats(20)), committed[0]);
        Assert.AreEqual(new PartitionCheckpoint(40, earlier2), committed[2], "an untouched partition keeps its figures");
        Assert.AreEqual(0, pending);
        Assert.AreEqual(160L, tracker.RowsDone);
    }

    [TestMethod]
    public void Complete_RowBeforeEarlierRunsOffset_Throws()
    {
        var tracker = new ProgressTracker(new Dictionary<int, PartitionCheckpoint> { [0] = new(100, Stats(100)) });

        Assert.ThrowsExactly<InvalidOperationException>(() => tracker.Complete([Range(0, 99, 101)]));
    }

    [TestMethod]
    public void Snapshot_IsACopy_LaterCompletesDoNotChangeIt()
    {
        var tracker = new ProgressTracker();
        tracker.Complete([Range(0, 0, 10)]);

        (IReadOnlyDictionary<int, PartitionCheckpoint> committed, _) = tracker.Snapshot();
        tracker.Complete([Range(0, 10, 20), Range(1, 0, 5)]);

        Assert.HasCount(1, committed);
        Assert.AreEqual(10L, committed[0].Offset);
    }

    private static SourceRange Range(int partition, long start, long end) => new(partition, start, end, Stats(end - start));

    private static RowStats Stats(long rows) => new(rows, rows, 0, rows, 0, 0, 0, (ulong)rows * 7, 0);
}
