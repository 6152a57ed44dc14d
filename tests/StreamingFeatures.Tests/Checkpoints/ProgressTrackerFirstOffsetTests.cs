using StreamingFeatures.Checkpoints;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Tests.Checkpoints;

/// <summary>Partitions whose offsets do not start at 0: the generator numbers its rows across partitions.</summary>
[TestClass]
public sealed class ProgressTrackerFirstOffsetTests
{
    [TestMethod]
    public void Complete_PartitionStartingAtItsFirstOffset_CommitsFromThere()
    {
        var tracker = new ProgressTracker { FirstOffset = partition => partition * 100L };

        tracker.Complete([new SourceRange(1, 100, 150, new RowStats(50, 50, 0, 0, 0, 0, 0, 0, 0))]);

        Assert.AreEqual(150L, tracker.CommittedOffset(1));
        Assert.AreEqual(200L, tracker.CommittedOffset(2), "an unseen partition resumes at its first offset");
        Assert.AreEqual(0, tracker.Snapshot().PendingRanges);
    }

    [TestMethod]
    public void Complete_WithoutFirstOffsets_LaterPartitionWaitsBehindAGap()
    {
        var tracker = new ProgressTracker();

        tracker.Complete([new SourceRange(1, 100, 150, new RowStats(50, 50, 0, 0, 0, 0, 0, 0, 0))]);

        Assert.AreEqual(0L, tracker.CommittedOffset(1));
        Assert.AreEqual(1, tracker.Snapshot().PendingRanges);
    }

    [TestMethod]
    public async Task FirstOffset_SyntheticPartitions_MatchTheRowsEachPartitionSends()
    {
        IRowSource source = new SyntheticSource(new SyntheticSourceOptions { Rows = 10_001, Partitions = 3, ChunkRows = 500, Features = 1 });
        var firstSeen = new Dictionary<int, long>();
        var collector = new System.Threading.Tasks.Dataflow.ActionBlock<SourceChunk>(chunk =>
        {
            lock (firstSeen)
            {
                firstSeen[chunk.Partition] = Math.Min(firstSeen.GetValueOrDefault(chunk.Partition, long.MaxValue), chunk.FirstOffset);
            }
        });

        await source.RunAsync(collector, CancellationToken.None);
        collector.Complete();
        await collector.Completion;

        for (int partition = 0; partition < 3; partition++)
        {
            Assert.AreEqual(firstSeen[partition], source.FirstOffset(partition), $"partition {partition}");
        }
    }
}
