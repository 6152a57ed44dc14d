using System.Collections.Concurrent;
using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Tests.Checkpoints;

/// <summary>
/// Random partitions cut into random ranges, completed in random order by several threads while another thread takes
/// snapshots: the committed prefix never passes a row not yet handed to Complete, and every figure adds up exactly.
/// </summary>
[TestClass]
public sealed class ProgressTrackerPropertyTests
{
    private const int Workers = 4;

    [TestMethod]
    [DataRow(1)]
    [DataRow(20260101)]
    [DataRow(987654321)]
    public async Task Complete_RandomRangesInRandomOrderOnManyThreads_CommitsExactlyEveryRow(int seed)
    {
        var random = new Random(seed);
        int partitions = random.Next(3, 9);
        var sizes = new long[partitions];
        var cuts = new List<Cut>[partitions];
        var all = new List<Cut>();
        for (int p = 0; p < partitions; p++)
        {
            cuts[p] = [];
            long offset = random.Next(0, 3) == 0 ? random.Next(1, 1_000) : 0;
            int ranges = random.Next(200, 900);
            for (int r = 0; r < ranges; r++)
            {
                long end = offset + random.Next(1, 40);
                var cut = new Cut(p, r, new SourceRange(p, offset, end, RandomStats(random, end - offset)));
                cuts[p].Add(cut);
                all.Add(cut);
                offset = end;
            }

            sizes[p] = offset;
        }

        // A partition may have been committed part-way by an earlier run.
        var earlier = new Dictionary<int, PartitionCheckpoint>();
        var handed = new bool[partitions][];
        for (int p = 0; p < partitions; p++)
        {
            handed[p] = new bool[cuts[p].Count];
            long first = cuts[p][0].Range.Start;
            if (first > 0)
            {
                earlier[p] = new PartitionCheckpoint(first, RandomStats(random, first));
            }
        }

        Cut[] order = [.. all];
        random.Shuffle(order);
        var queue = new ConcurrentQueue<Cut>(order);
        var tracker = new ProgressTracker(earlier);
        var violations = new ConcurrentQueue<string>();
        int calls = 0;
        int snapshots = 0;
        using var done = new CancellationTokenSource();

        // The observer has taken its first snapshot before any worker starts, so snapshots are checked while they run
        // however late the thread pool starts it.
        var observing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task observer = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                (IReadOnlyDictionary<int, PartitionCheckpoint> committed, _) = tracker.Snapshot();
                Check(committed, cuts, handed, earlier, violations);
                snapshots++;
                observing.TrySetResult();
            }
        });
        await observing.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Task[] workers = [.. Enumerable.Range(0, Workers).Select(w => Task.Run(() =>
        {
            var local = new Random(seed + w);
            var batch = new List<SourceRange>();
            while (true)
            {
                batch.Clear();
                int want = local.Next(1, 4);
                while (batch.Count < want && queue.TryDequeue(out Cut? cut))
                {
                    Volatile.Write(ref handed[cut.Partition][cut.Index], true);
                    batch.Add(cut.Range);
                }

                if (batch.Count == 0)
                {
                    return;
                }

                tracker.Complete([.. batch]);
                Interlocked.Increment(ref calls);
            }
        }))];
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        await done.CancelAsync();
        await observer.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.IsEmpty(violations, string.Join(Environment.NewLine, violations.Take(5)));
        Assert.IsGreaterThan(0, snapshots);
        (IReadOnlyDictionary<int, PartitionCheckpoint> final, int pending) = tracker.Snapshot();
        Assert.AreEqual(0, pending);
        Assert.HasCount(partitions, final);
        long rows = 0;
        for (int p = 0; p < partitions; p++)
        {
            RowStats expected = earlier.GetValueOrDefault(p).Stats;
            foreach (Cut cut in cuts[p])
            {
                expected += cut.Range.Stats;
            }

            Assert.AreEqual(sizes[p], final[p].Offset, $"partition {p}");
            Assert.AreEqual(sizes[p], tracker.CommittedOffset(p), $"partition {p}");
            Assert.AreEqual(expected, final[p].Stats, $"partition {p}");
            rows += sizes[p];
        }

        Assert.AreEqual(rows, tracker.RowsDone);
        Assert.AreEqual((long)calls, tracker.Version);
    }

    /// <summary>A snapshot's prefix ends on a range boundary, covers only handed ranges, and carries exactly their figures.</summary>
    private static void Check(
        IReadOnlyDictionary<int, PartitionCheckpoint> committed,
        List<Cut>[] cuts,
        bool[][] handed,
        Dictionary<int, PartitionCheckpoint> earlier,
        ConcurrentQueue<string> violations)
    {
        foreach ((int partition, PartitionCheckpoint state) in committed)
        {
            RowStats expected = earlier.GetValueOrDefault(partition).Stats;
            long at = earlier.GetValueOrDefault(partition).Offset;
            foreach (Cut cut in cuts[partition])
            {
                if (cut.Range.End > state.Offset)
                {
                    break;
                }

                if (!Volatile.Read(ref handed[partition][cut.Index]))
                {
                    violations.Enqueue($"partition {partition}: committed {state.Offset} covers rows {cut.Range.Start}..{cut.Range.End}, never completed");
                    return;
                }

                expected += cut.Range.Stats;
                at = cut.Range.End;
            }

            if (at != state.Offset)
            {
                violations.Enqueue($"partition {partition}: committed {state.Offset} is not a range boundary (last whole range ends at {at})");
            }
            else if (expected != state.Stats)
            {
                violations.Enqueue($"partition {partition}: committed {state.Offset} carries {state.Stats}, expected {expected}");
            }
        }
    }

    private static RowStats RandomStats(Random random, long rows)
    {
        long dead = random.Next(0, 3) == 0 ? random.NextInt64(0, rows + 1) : 0;
        long written = rows - dead;
        long verified = random.NextInt64(0, written + 1);
        long missing = random.NextInt64(0, verified + 1);
        long changed = random.NextInt64(0, verified - missing + 1);
        return new RowStats(rows, written, dead, verified, missing, changed, random.Next(0, 5), (ulong)random.NextInt64() * 3, (ulong)random.NextInt64());
    }

    private sealed record Cut(int Partition, int Index, SourceRange Range);
}
