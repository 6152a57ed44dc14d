namespace StreamingFeatures.Checkpoints;

/// <summary>
/// Done ranges of one partition. Rows finish out of order (parallel mappers, writers and read-backs), so ranges are
/// merged as their neighbours arrive; the range that starts at the partition's resume offset is the committed
/// prefix a checkpoint may record. A range that overlaps rows already done is refused before anything changes, so
/// a row is never counted twice. Not thread-safe: <see cref="ProgressTracker"/> locks around it.
/// </summary>
internal sealed class PartitionProgress
{
    // Ranges beyond the committed prefix, by start; few at a time (bounded by the rows in flight).
    private readonly SortedList<long, Span> _pending = [];

    public PartitionProgress(long committedOffset, RowStats committed)
    {
        Base = committedOffset;
        Committed = new Span(committedOffset, committedOffset, committed);
    }

    /// <summary>Offset this partition started from in the current run.</summary>
    public long Base { get; }

    /// <summary>The contiguous prefix: every row before <c>End</c> is done.</summary>
    public Span Committed { get; private set; }

    /// <summary>Ranges done beyond a gap, waiting for the rows before them.</summary>
    public int PendingRanges => _pending.Count;

    /// <exception cref="InvalidOperationException">The range is empty or overlaps rows already done (a source sent a row twice).</exception>
    public void Add(long start, long end, RowStats stats)
    {
        if (end <= start)
        {
            throw new InvalidOperationException($"Rows {start}..{end} are no range.");
        }

        if (start < Committed.End)
        {
            throw new InvalidOperationException($"Rows {start}..{end} overlap the committed prefix ending at {Committed.End}.");
        }

        int next = LowerBound(start);
        Span? before = next > 0 ? _pending.GetValueAtIndex(next - 1) : null;
        Span? after = next < _pending.Count ? _pending.GetValueAtIndex(next) : null;
        if (before is { } b && b.End > start || after is { } a && a.Start < end)
        {
            throw new InvalidOperationException($"Rows {start}..{end} overlap rows already done.");
        }

        if (start == Committed.End)
        {
            Span committed = Committed with { End = end, Stats = Committed.Stats + stats };
            while (_pending.Count > 0 && _pending.GetValueAtIndex(0).Start == committed.End)
            {
                Span first = _pending.GetValueAtIndex(0);
                _pending.RemoveAt(0);
                committed = committed with { End = first.End, Stats = committed.Stats + first.Stats };
            }

            Committed = committed;
            return;
        }

        var span = new Span(start, end, stats);
        if (before is { } left && left.End == start)
        {
            _pending.Remove(left.Start);
            span = left with { End = end, Stats = left.Stats + stats };
        }

        if (after is { } right && right.Start == end)
        {
            _pending.Remove(right.Start);
            span = span with { End = right.End, Stats = span.Stats + right.Stats };
        }

        _pending.Add(span.Start, span);
    }

    /// <summary>The index of the first pending range starting at or after <paramref name="start"/>.</summary>
    private int LowerBound(long start)
    {
        IList<long> starts = _pending.Keys;
        int low = 0;
        int high = starts.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (starts[middle] < start)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    internal readonly record struct Span(long Start, long End, RowStats Stats);
}
