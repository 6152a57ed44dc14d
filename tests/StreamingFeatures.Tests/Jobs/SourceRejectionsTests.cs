using StreamingFeatures.Checkpoints;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.Tests.Jobs;

/// <summary>
/// The dead letters a file source (CSV or Parquet) writes itself on a resumed run, which re-reads each file from its
/// start: rows an earlier run committed are not dead-lettered or counted again; the others are, once.
/// </summary>
[TestClass]
public sealed class SourceRejectionsTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task WriteAsync_RowBeforeTheCommittedOffset_NeitherWrittenNorCompletedAgain()
    {
        var progress = new ProgressTracker(new Dictionary<int, PartitionCheckpoint> { [0] = new(10, new RowStats(Read: 10, Written: 9, DeadLettered: 1, Verified: 9, Missing: 0, Changed: 0, Retries: 0, DigestSum: 0, DigestXor: 0)) });
        var inner = new CollectingDeadLetterSink();
        var rejections = new SourceRejections(inner, progress);

        await rejections.WriteAsync(Letter(partition: 0, offset: 3), TestContext.CancellationToken);
        await rejections.WriteAsync(Letter(partition: 0, offset: 10), TestContext.CancellationToken);
        await rejections.WriteAsync(Letter(partition: 1, offset: 0), TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { (0, 10L), (1, 0L) }, inner.Kept.Select(d => (d.Partition, d.Offset)).ToArray());
        (IReadOnlyDictionary<int, PartitionCheckpoint> committed, _) = progress.Snapshot();
        Assert.AreEqual(new PartitionCheckpoint(11, new RowStats(Read: 11, Written: 9, DeadLettered: 2, Verified: 9, Missing: 0, Changed: 0, Retries: 0, DigestSum: 0, DigestXor: 0)), committed[0]);
        Assert.AreEqual(1L, committed[1].Offset);
    }

    private static DeadLetter Letter(int partition, long offset) => new(DeadLetterReason.BadValue, "not a number", partition, offset);
}
