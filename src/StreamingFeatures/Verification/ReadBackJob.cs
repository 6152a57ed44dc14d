using Google.Protobuf;
using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Verification;

/// <summary>
/// Rows of one or more whole batches: the source ranges they account for and the keys to read back. When its keys are
/// verified the ranges are done, so a checkpoint never passes a row that was written but not yet proven.
/// </summary>
/// <param name="tracksRanges">False when no checkpoint needs the ranges: then only keys are kept, and the hot path
/// does no range bookkeeping.</param>
internal sealed class ReadBackJob(bool tracksRanges = true)
{
    private readonly List<Range> _ranges = [];
    private readonly ByteSlab _mutations = new();

    public List<PendingRow> Keys { get; } = [];

    public bool IsEmpty => _ranges.Count == 0 && Keys.Count == 0;

    /// <summary>Source rows this job accounts for (written or dead-lettered).</summary>
    public int RowCount { get; private set; }

    public void AddWritten(int partition, long offset, ulong digest)
    {
        RowCount++;
        if (!tracksRanges)
        {
            return;
        }

        int last = _ranges.Count - 1;
        if (last >= 0 && _ranges[last].Partition == partition && _ranges[last].End == offset)
        {
            Range range = _ranges[last];
            range.End++;
            range.Written++;
            range.DigestSum = unchecked(range.DigestSum + digest);
            range.DigestXor ^= digest;
            _ranges[last] = range;
            return;
        }

        _ranges.Add(new Range { Partition = partition, Start = offset, End = offset + 1, Written = 1, DigestSum = digest, DigestXor = digest });
    }

    public void AddDeadLetter(int partition, long offset)
    {
        RowCount++;
        if (tracksRanges)
        {
            _ranges.Add(new Range { Partition = partition, Start = offset, End = offset + 1, DeadLettered = 1 });
        }
    }

    /// <summary>
    /// Queues the row just added with <see cref="AddWritten"/> for read-back; <paramref name="mutations"/> (the entry
    /// after its row key) are kept so that a row that differs can be compared feature by feature.
    /// </summary>
    public void AddKey(ByteString key, ulong digest, long timestampMicros, ReadOnlySpan<byte> mutations)
    {
        ReadOnlyMemory<byte> expected = _mutations.Add(mutations);
        if (!tracksRanges)
        {
            Keys.Add(new PendingRow(key, digest, timestampMicros, -1, expected));
            return;
        }

        int last = _ranges.Count - 1;
        Range range = _ranges[last];
        range.Verified++;
        _ranges[last] = range;
        Keys.Add(new PendingRow(key, digest, timestampMicros, last, expected));
    }

    public void AddRetries(long retries)
    {
        if (retries > 0 && _ranges.Count > 0)
        {
            Range range = _ranges[^1];
            range.Retries += retries;
            _ranges[^1] = range;
        }
    }

    /// <summary>Read-back found the row of <paramref name="key"/> missing or changed.</summary>
    public void NoteProblem(in PendingRow key, bool missing)
    {
        if (key.RangeIndex < 0)
        {
            return;
        }

        Range range = _ranges[key.RangeIndex];
        if (missing)
        {
            range.Missing++;
        }
        else
        {
            range.Changed++;
        }

        _ranges[key.RangeIndex] = range;
    }

    /// <summary>Read-back found the row of <paramref name="key"/> overwritten by a newer event.</summary>
    public void NoteSuperseded(in PendingRow key)
    {
        if (key.RangeIndex >= 0)
        {
            Range range = _ranges[key.RangeIndex];
            range.Superseded++;
            _ranges[key.RangeIndex] = range;
        }
    }

    public SourceRange[] Ranges()
    {
        var ranges = new SourceRange[_ranges.Count];
        for (int i = 0; i < ranges.Length; i++)
        {
            Range r = _ranges[i];
            long read = r.End - r.Start;
            ranges[i] = new SourceRange(r.Partition, r.Start, r.End, new RowStats(read, r.Written, r.DeadLettered, r.Verified, r.Missing, r.Changed, r.Retries, r.DigestSum, r.DigestXor, r.Superseded));
        }

        return ranges;
    }

    /// <summary>A row to read back: what was written (its digest, and its mutations after the row key) and where.</summary>
    internal readonly record struct PendingRow(ByteString Key, ulong Digest, long TimestampMicros, int RangeIndex, ReadOnlyMemory<byte> Mutations);

    private struct Range
    {
        public int Partition;
        public long Start;
        public long End;
        public long Written;
        public long DeadLettered;
        public long Verified;
        public long Missing;
        public long Changed;
        public long Superseded;
        public long Retries;
        public ulong DigestSum;
        public ulong DigestXor;
    }
}
