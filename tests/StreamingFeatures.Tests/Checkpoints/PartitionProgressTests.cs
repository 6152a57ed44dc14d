using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Tests.Checkpoints;

/// <summary>Done ranges arrive in any order; only the contiguous prefix from the resume offset is committed.</summary>
[TestClass]
public sealed class PartitionProgressTests
{
    [TestMethod]
    public void Add_InOrder_ExtendsCommittedPrefix()
    {
        var progress = new PartitionProgress(0, default);

        progress.Add(0, 10, Stats(10));
        progress.Add(10, 25, Stats(15));

        Assert.AreEqual(0L, progress.Committed.Start);
        Assert.AreEqual(25L, progress.Committed.End);
        Assert.AreEqual(Stats(25), progress.Committed.Stats);
        Assert.AreEqual(0, progress.PendingRanges);
    }

    [TestMethod]
    public void Add_BeyondGap_WaitsPendingThenMergesWhenGapFills()
    {
        var progress = new PartitionProgress(0, default);

        progress.Add(20, 30, Stats(10));
        progress.Add(40, 50, Stats(10));
        progress.Add(10, 20, Stats(10));

        Assert.AreEqual(0L, progress.Committed.End, "rows 0..10 are not done");
        Assert.AreEqual(2, progress.PendingRanges, "10..30 merged into one pending range, 40..50 another");

        progress.Add(0, 10, Stats(10));

        Assert.AreEqual(30L, progress.Committed.End);
        Assert.AreEqual(Stats(30), progress.Committed.Stats);
        Assert.AreEqual(1, progress.PendingRanges);

        progress.Add(30, 40, Stats(10));

        Assert.AreEqual(50L, progress.Committed.End);
        Assert.AreEqual(Stats(50), progress.Committed.Stats);
        Assert.AreEqual(0, progress.PendingRanges);
    }

    [TestMethod]
    public void Add_RangeBridgingTwoPendingRanges_MergesAllThree()
    {
        var progress = new PartitionProgress(0, default);
        progress.Add(5, 10, Stats(5));
        progress.Add(15, 20, Stats(5));

        progress.Add(10, 15, Stats(5));

        Assert.AreEqual(1, progress.PendingRanges);
        progress.Add(0, 5, Stats(5));
        Assert.AreEqual(20L, progress.Committed.End);
        Assert.AreEqual(Stats(20), progress.Committed.Stats);
        Assert.AreEqual(0, progress.PendingRanges);
    }

    [TestMethod]
    public void Add_ResumedPartition_StartsFromCommittedOffsetWithItsStats()
    {
        var earlier = new RowStats(100, 98, 2, 98, 0, 0, 4, 1234, 5678);
        var progress = new PartitionProgress(100, earlier);

        progress.Add(100, 110, Stats(10));

        Assert.AreEqual(100L, progress.Base);
        Assert.AreEqual(110L, progress.Committed.End);
        Assert.AreEqual(earlier + Stats(10), progress.Committed.Stats);
    }

    [TestMethod]
    [DataRow(0L, 10L)]
    [DataRow(5L, 15L)]
    [DataRow(9L, 10L)]
    public void Add_OverlapsCommittedPrefix_Throws(long start, long end)
    {
        var progress = new PartitionProgress(0, default);
        progress.Add(0, 10, Stats(10));

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => progress.Add(start, end, Stats(end - start)));

        StringAssert.Contains(error.Message, "committed prefix ending at 10");
        Assert.AreEqual(10L, progress.Committed.End);
    }

    [TestMethod]
    public void Add_BeforeResumeOffset_Throws()
    {
        var progress = new PartitionProgress(100, Stats(100));

        Assert.ThrowsExactly<InvalidOperationException>(() => progress.Add(50, 60, Stats(10)));
    }

    [TestMethod]
    public void Add_SamePendingRangeTwice_Throws()
    {
        var progress = new PartitionProgress(0, default);
        progress.Add(10, 20, Stats(10));

        Assert.ThrowsExactly<InvalidOperationException>(() => progress.Add(10, 20, Stats(10)));
    }

    [TestMethod]
    public void Add_PartlyOverlapsPendingRange_Throws()
    {
        var progress = new PartitionProgress(0, default);
        progress.Add(10, 20, Stats(10));

        Assert.ThrowsExactly<InvalidOperationException>(() => progress.Add(15, 25, Stats(10)));
    }

    [TestMethod]
    public void Add_CommittedExtensionOverlapsPendingRange_Throws()
    {
        var progress = new PartitionProgress(0, default);
        progress.Add(10, 20, Stats(10));

        Assert.ThrowsExactly<InvalidOperationException>(() => progress.Add(0, 15, Stats(15)));
    }

    // Linear in rows (digest xor left 0), so Stats(a) + Stats(b) == Stats(a + b).
    private static RowStats Stats(long rows) => new(rows, rows, 0, rows, 0, 0, 0, (ulong)rows * 31, 0);
}
