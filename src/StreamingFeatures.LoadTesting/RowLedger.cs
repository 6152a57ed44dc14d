namespace StreamingFeatures.LoadTesting;

/// <summary>
/// What the load generator knows about each row it admitted, by source position (partition, offset): its index in
/// the schedule (so its planned offer time) and its key range. Completions arrive by position; the recorder looks
/// the rows up here. Segments are dropped once all their rows are done, so memory follows the rows in flight.
/// </summary>
internal sealed class RowLedger
{
    private readonly Dictionary<int, List<Segment>> _partitions = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Rows <c>[firstOffset, firstOffset + ranges.Length)</c> of <paramref name="partition"/>: schedule indexes from
    /// <paramref name="firstIndex"/> on, or <paramref name="indexes"/> one per row.
    /// </summary>
    public void Add(int partition, long firstOffset, long firstIndex, long[]? indexes, ushort[] ranges)
    {
        lock (_lock)
        {
            if (!_partitions.TryGetValue(partition, out List<Segment>? segments))
            {
                segments = [];
                _partitions.Add(partition, segments);
            }

            segments.Add(new Segment(firstOffset, firstIndex, indexes, ranges));
        }
    }

    /// <summary>
    /// Calls <paramref name="row"/> for every known row of <c>[start, end)</c> of <paramref name="partition"/> with its
    /// schedule index and key range; returns how many were unknown (admitted by no one).
    /// </summary>
    public long Resolve<TState>(int partition, long start, long end, ref TState state, RowAction<TState> row)
    {
        lock (_lock)
        {
            if (!_partitions.TryGetValue(partition, out List<Segment>? segments))
            {
                return end - start;
            }

            long known = 0;
            for (int i = FirstAtOrAfter(segments, start); i < segments.Count && segments[i].FirstOffset < end; i++)
            {
                Segment segment = segments[i];
                long from = Math.Max(start, segment.FirstOffset);
                long to = Math.Min(end, segment.FirstOffset + segment.Ranges.Length);
                for (long offset = from; offset < to; offset++)
                {
                    int at = (int)(offset - segment.FirstOffset);
                    long index = segment.Indexes is { } indexes ? indexes[at] : segment.FirstIndex + at;
                    row(ref state, index, segment.Ranges[at]);
                }

                known += Math.Max(0, to - from);
                segment.Remaining -= Math.Max(0, to - from);
            }

            // Completions come roughly in order, so done segments gather at the front.
            int done = 0;
            while (done < segments.Count && segments[done].Remaining <= 0)
            {
                done++;
            }

            segments.RemoveRange(0, done);
            return end - start - known;
        }
    }

    private static int FirstAtOrAfter(List<Segment> segments, long offset)
    {
        // The last segment starting at or before the offset: it may hold it.
        int low = 0;
        int high = segments.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (segments[mid].FirstOffset <= offset)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return Math.Max(0, low - 1);
    }

    internal delegate void RowAction<TState>(ref TState state, long index, int range);

    private sealed class Segment(long firstOffset, long firstIndex, long[]? indexes, ushort[] ranges)
    {
        public long FirstOffset { get; } = firstOffset;

        public long FirstIndex { get; } = firstIndex;

        public long[]? Indexes { get; } = indexes;

        public ushort[] Ranges { get; } = ranges;

        public long Remaining { get; set; } = ranges.Length;
    }
}
