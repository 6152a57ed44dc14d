using Google.Protobuf;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Tests.Verification;

/// <summary>A read-back job accounts for its rows as source ranges, each with the figures of its own rows.</summary>
[TestClass]
public sealed class ReadBackJobTests
{
    [TestMethod]
    public void IsEmpty_NewJob_True()
    {
        var job = new ReadBackJob();

        Assert.IsTrue(job.IsEmpty);
        Assert.IsEmpty(job.Ranges());
    }

    [TestMethod]
    public void AddWritten_ConsecutiveOffsetsOfOnePartition_OneRange()
    {
        var job = new ReadBackJob();

        job.AddWritten(0, 10, 0xF0);
        job.AddWritten(0, 11, 0x0F);
        job.AddWritten(0, 12, ulong.MaxValue);

        Assert.IsFalse(job.IsEmpty);
        SourceRange range = job.Ranges().Single();
        Assert.AreEqual(new SourceRange(0, 10, 13, new RowStats(3, 3, 0, 0, 0, 0, 0, unchecked(0xF0 + 0x0F + ulong.MaxValue), 0xF0 ^ 0x0F ^ ulong.MaxValue)), range);
    }

    [TestMethod]
    public void AddWritten_GapOrOtherPartition_NewRange()
    {
        var job = new ReadBackJob();

        job.AddWritten(0, 10, 1);
        job.AddWritten(0, 12, 2);
        job.AddWritten(1, 13, 3);
        job.AddWritten(0, 13, 4);
        job.AddWritten(0, 9, 5);

        CollectionAssert.AreEqual(
            new[] { (0, 10L, 11L), (0, 12L, 13L), (1, 13L, 14L), (0, 13L, 14L), (0, 9L, 10L) },
            job.Ranges().Select(r => (r.Partition, r.Start, r.End)).ToArray());
        Assert.IsTrue(job.Ranges().All(r => r.Stats.Read == 1 && r.Stats.Written == 1));
    }

    [TestMethod]
    public void AddDeadLetter_AfterWrittenNeighbour_SingleRowRangeOfItsOwn()
    {
        var job = new ReadBackJob();

        job.AddWritten(0, 10, 7);
        job.AddDeadLetter(0, 11);
        job.AddDeadLetter(0, 12);

        SourceRange[] ranges = job.Ranges();
        Assert.HasCount(3, ranges);
        Assert.AreEqual(new SourceRange(0, 10, 11, new RowStats(1, 1, 0, 0, 0, 0, 0, 7, 7)), ranges[0]);
        Assert.AreEqual(new SourceRange(0, 11, 12, new RowStats(1, 0, 1, 0, 0, 0, 0, 0, 0)), ranges[1]);
        Assert.AreEqual(new SourceRange(0, 12, 13, new RowStats(1, 0, 1, 0, 0, 0, 0, 0, 0)), ranges[2]);
    }

    [TestMethod]
    public void AddDeadLetter_ThenWrittenRows_TotalsExactAndRangesDisjoint()
    {
        var job = new ReadBackJob();

        job.AddDeadLetter(0, 11);
        job.AddWritten(0, 10, 1);
        job.AddWritten(0, 12, 2);
        job.AddWritten(0, 13, 3);

        SourceRange[] ranges = job.Ranges();
        RowStats total = ranges.Aggregate(default(RowStats), (sum, r) => sum + r.Stats);
        Assert.AreEqual(new RowStats(4, 3, 1, 0, 0, 0, 0, 6, 1 ^ 2 ^ 3), total);
        long[] rows = [.. ranges.SelectMany(r => Enumerable.Range((int)r.Start, (int)r.Count).Select(i => (long)i)).Order()];
        CollectionAssert.AreEqual(new long[] { 10, 11, 12, 13 }, rows, "every row in exactly one range");
        Assert.IsTrue(ranges.All(r => r.Stats.Read == r.Count));
    }

    [TestMethod]
    public void AddKey_CountsVerifiedInTheRangeOfTheRowJustWritten()
    {
        var job = new ReadBackJob();

        job.AddWritten(0, 10, 1);
        job.AddKey(Key("a"), 1, 100, []);
        job.AddWritten(0, 11, 2);
        job.AddWritten(1, 0, 3);
        job.AddKey(Key("b"), 3, 300, []);
        job.AddWritten(1, 1, 4);
        job.AddKey(Key("c"), 4, 400, []);

        SourceRange[] ranges = job.Ranges();
        Assert.AreEqual(1L, ranges[0].Stats.Verified);
        Assert.AreEqual(2L, ranges[1].Stats.Verified);
        Assert.HasCount(3, job.Keys);
        Assert.AreEqual(new ReadBackJob.PendingRow(Key("a"), 1, 100, 0, ReadOnlyMemory<byte>.Empty), job.Keys[0]);
        Assert.AreEqual(1, job.Keys[1].RangeIndex);
        Assert.AreEqual(1, job.Keys[2].RangeIndex);
        Assert.AreEqual(400L, job.Keys[2].TimestampMicros);
    }

    [TestMethod]
    public void NoteProblem_AttributesMissingAndChangedToTheKeysRange()
    {
        var job = new ReadBackJob();
        job.AddWritten(0, 10, 1);
        job.AddKey(Key("a"), 1, 100, []);
        job.AddWritten(0, 11, 2);
        job.AddKey(Key("b"), 2, 200, []);
        job.AddWritten(5, 70, 3);
        job.AddKey(Key("c"), 3, 300, []);
        job.AddWritten(5, 90, 4);

        job.NoteProblem(job.Keys[0], missing: true);
        job.NoteProblem(job.Keys[1], missing: false);
        job.NoteProblem(job.Keys[2], missing: false);

        SourceRange[] ranges = job.Ranges();
        Assert.HasCount(3, ranges);
        Assert.AreEqual((2L, 1L, 1L, 0L), (ranges[0].Stats.Verified, ranges[0].Stats.Missing, ranges[0].Stats.Changed, ranges[0].Stats.Matched));
        Assert.AreEqual((1L, 0L, 1L, 0L), (ranges[1].Stats.Verified, ranges[1].Stats.Missing, ranges[1].Stats.Changed, ranges[1].Stats.Matched));
        Assert.AreEqual((0L, 0L, 0L), (ranges[2].Stats.Verified, ranges[2].Stats.Missing, ranges[2].Stats.Changed));
    }

    [TestMethod]
    public void AddRetries_GoesToTheLastRange()
    {
        var job = new ReadBackJob();
        job.AddWritten(0, 10, 1);
        job.AddWritten(3, 0, 2);

        job.AddRetries(5);
        job.AddRetries(0);
        job.AddRetries(-2);
        job.AddRetries(2);

        SourceRange[] ranges = job.Ranges();
        Assert.AreEqual(0L, ranges[0].Stats.Retries);
        Assert.AreEqual(7L, ranges[1].Stats.Retries);
    }

    [TestMethod]
    public void AddRetries_EmptyJob_Ignored()
    {
        var job = new ReadBackJob();

        job.AddRetries(3);

        Assert.IsTrue(job.IsEmpty);
    }

    [TestMethod]
    public void Ranges_CommittedByTracker_InAnyOrderCommitsTheWholeJob()
    {
        var job = new ReadBackJob();
        job.AddWritten(0, 2, 1);
        job.AddDeadLetter(0, 0);
        job.AddWritten(0, 1, 2);
        var tracker = new ProgressTracker();

        tracker.Complete(job.Ranges());

        Assert.AreEqual(3L, tracker.CommittedOffset(0));
        Assert.AreEqual(new RowStats(3, 2, 1, 0, 0, 0, 0, 3, 3), tracker.Snapshot().Committed[0].Stats);
    }

    [TestMethod]
    public void AddKey_WithoutRangeTracking_KeepsKeysOnly()
    {
        var job = new ReadBackJob(tracksRanges: false);
        job.AddWritten(0, 0, 1);
        job.AddDeadLetter(0, 1);
        job.AddKey(Key("a"), 1, 10, []);

        job.NoteProblem(job.Keys[0], missing: true);

        Assert.HasCount(1, job.Keys);
        Assert.IsFalse(job.IsEmpty);
        Assert.IsEmpty(job.Ranges());
    }

    private static ByteString Key(string text) => ByteString.CopyFromUtf8(text);
}
