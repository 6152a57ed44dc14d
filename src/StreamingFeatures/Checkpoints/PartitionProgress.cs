namespace StreamingFeatures.Checkpoints;

/// <summary>
/// Done ranges of one partition. Rows finish out of order (parallel mappers, writers and read-backs), so ranges are
/// merged as their neighbours arrive; the range that starts at the partition's resume offset is the committed
/// prefix a checkpoint may record. Not thread-safe: <see cref="ProgressTracker"/> locks around it.
/// </summary>
internal sealed class PartitionProgress
{
    private readonly Dictionary<long, Span> _byStart = [];
    private readonly Dictionary<long, Span> _byEnd = [];
    private readonly long _base;

    public PartitionProgress(long committedOffset, RowStats committed)
    {
        _base = committedOffset;
        Committed = new Span(committedOffset, committedOffset, committed);
    }

    /// <summary>The contiguous prefix: every row before <c>End</c> is done.</summary>
    public Span Committed { get; private set; }

    /// <summary>Ranges done beyond a gap, waiting for the rows before them.</summary>
    public int PendingRanges => _byStart.Count;

    /// <exception cref="InvalidOperationException">The range overlaps rows already done (a source sent a row twice).</exception>
    public void Add(long start, long end, RowStats stats)
    {
        if (start < Committed.End)
        {
            throw new InvalidOperationException($"Rows {start}..{end} overlap the committed prefix ending at {Committed.End}.");
        }

        var span = new Span(start, end, stats);
        if (start == Committed.End)
        {
            span = Committed with { End = end, Stats = Committed.Stats + stats };
            while (_byStart.Remove(span.End, out Span next))
            {
                _byEnd.Remove(next.End);
                span = span with { End = next.End, Stats = span.Stats + next.Stats };
            }

            Committed = span;
            return;
        }

        if (_byEnd.Remove(start, out Span before))
        {
            _byStart.Remove(before.Start);
            span = before with { End = end, Stats = before.Stats + stats };
        }

        if (_byStart.Remove(span.End, out Span after))
        {
            _byEnd.Remove(after.End);
            span = span with { End = after.End, Stats = span.Stats + after.Stats };
        }

        if (!_byStart.TryAdd(span.Start, span) || !_byEnd.TryAdd(span.End, span))
        {
            throw new InvalidOperationException($"Rows {start}..{end} overlap rows already done.");
        }
    }

    /// <summary>Offset this partition started from in the current run.</summary>
    public long Base => _base;

    internal readonly record struct Span(long Start, long End, RowStats Stats);
}
