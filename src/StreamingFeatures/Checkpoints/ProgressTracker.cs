using StreamingFeatures.Pipeline;

namespace StreamingFeatures.Checkpoints;

/// <summary>
/// Which source rows are done, per partition, across runs. A row is done when it is written and, where verification
/// reads it back, verified — or dead-lettered. The committed offset of a partition is the end of its contiguous done
/// prefix: every row before it is done, so a resumed job starts there and counts nothing twice. Thread-safe.
/// </summary>
public sealed class ProgressTracker : IRowCompletion
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, PartitionProgress> _partitions = [];
    private Func<int, long> _firstOffset = _ => 0;
    private long _version;
    private long _rowsDone;

    /// <param name="committed">Partitions already committed by earlier runs: offset and what became of the rows.</param>
    public ProgressTracker(IReadOnlyDictionary<int, PartitionCheckpoint>? committed = null)
    {
        foreach ((int partition, PartitionCheckpoint state) in committed ?? new Dictionary<int, PartitionCheckpoint>())
        {
            _partitions[partition] = new PartitionProgress(state.Offset, state.Stats);
            _rowsDone += state.Stats.Read;
        }
    }

    /// <summary>
    /// Where a partition no earlier run committed starts (see <see cref="Sources.IRowSource.FirstOffset"/>). Set once
    /// the source is open, before rows flow.
    /// </summary>
    public Func<int, long> FirstOffset
    {
        get => _firstOffset;
        set => _firstOffset = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Changes on every update; a checkpoint writer saves only when it moved.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Rows done, in any partition, committed or not (for progress bars), including earlier runs.</summary>
    public long RowsDone => Interlocked.Read(ref _rowsDone);

    /// <summary>Where partition <paramref name="partition"/> resumes: its committed offset (0 when never seen).</summary>
    public long CommittedOffset(int partition)
    {
        lock (_lock)
        {
            return _partitions.TryGetValue(partition, out PartitionProgress? progress) ? progress.Committed.End : _firstOffset(partition);
        }
    }

    /// <summary>Records rows as done.</summary>
    /// <exception cref="InvalidOperationException">A range overlaps rows already done.</exception>
    public void Complete(IReadOnlyList<SourceRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        long rows = 0;
        try
        {
            lock (_lock)
            {
                foreach (SourceRange range in ranges)
                {
                    if (!_partitions.TryGetValue(range.Partition, out PartitionProgress? progress))
                    {
                        progress = new PartitionProgress(_firstOffset(range.Partition), default);
                        _partitions[range.Partition] = progress;
                    }

                    progress.Add(range.Start, range.End, range.Stats);
                    rows += range.Count;
                }
            }
        }
        finally
        {
            // Ranges before a refused one stay done: count them.
            Interlocked.Add(ref _rowsDone, rows);
            Interlocked.Increment(ref _version);
        }
    }

    /// <summary>The committed prefix of every partition, and how many ranges still wait behind a gap.</summary>
    public (IReadOnlyDictionary<int, PartitionCheckpoint> Committed, int PendingRanges) Snapshot()
    {
        lock (_lock)
        {
            var committed = new Dictionary<int, PartitionCheckpoint>(_partitions.Count);
            int pending = 0;
            foreach ((int partition, PartitionProgress progress) in _partitions)
            {
                committed[partition] = new PartitionCheckpoint(progress.Committed.End, progress.Committed.Stats);
                pending += progress.PendingRanges;
            }

            return (committed, pending);
        }
    }
}
