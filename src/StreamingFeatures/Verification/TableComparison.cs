using StreamingFeatures.Keys;

namespace StreamingFeatures.Verification;

/// <summary>
/// The figures of a table compared with its source, per key range. Source rows are read back by key (matched,
/// missing or changed); extras cannot be found that way, so each side also sums its keys per range, and only the
/// ranges whose sums differ are searched exactly (<see cref="ExactPassGroups"/>). Memory is the ranges' figures and
/// the keys listed, never the rows. Safe for concurrent callers.
/// </summary>
internal sealed partial class TableComparison
{
    private readonly RangeTally[] _tallies;
    private readonly int _maxReportedKeys;
    private readonly Lock _lock = new();
    private int _reported;

    public TableComparison(KeyRanges ranges, int maxReportedKeys)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        Ranges = ranges;
        _maxReportedKeys = maxReportedKeys;
        _tallies = new RangeTally[ranges.Count];
        for (int i = 0; i < _tallies.Length; i++)
        {
            _tallies[i] = new RangeTally();
        }
    }

    public KeyRanges Ranges { get; }

    public RangeTally this[int range] => _tallies[range];

    /// <summary>One source row's read-back; <paramref name="key"/> is listed (up to the cap) when it differs.</summary>
    public void NoteSource(int range, ulong keyHash, RowOutcome outcome, ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            RangeTally tally = _tallies[range];
            tally.SourceRows++;
            switch (outcome)
            {
                case RowOutcome.Matched:
                    tally.Matched++;
                    tally.FoundKeys = tally.FoundKeys.Add(keyHash);
                    break;
                case RowOutcome.Superseded:
                    tally.Superseded++;
                    tally.FoundKeys = tally.FoundKeys.Add(keyHash);
                    break;
                case RowOutcome.Changed:
                    tally.Changed++;
                    tally.FoundKeys = tally.FoundKeys.Add(keyHash);
                    List(tally.ChangedKeys, key);
                    break;
                default:
                    tally.Missing++;
                    List(tally.MissingKeys, key);
                    break;
            }
        }
    }

    /// <summary>One row of the table, from the scan of its keys.</summary>
    public void NoteTableRow(int range, ulong keyHash)
    {
        lock (_lock)
        {
            _tallies[range].TableKeys = _tallies[range].TableKeys.Add(keyHash);
        }
    }

    /// <summary>A row of the table no source row maps to, found by the exact pass.</summary>
    public void NoteExtra(int range, ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            _tallies[range].Extra++;
            List(_tallies[range].ExtraKeys, key);
        }
    }

    /// <summary>
    /// The ranges whose key sums differ, in passes small enough to hold their source keys at once: each pass's table
    /// and source rows together stay within <paramref name="maxKeys"/>. A range larger than that is cut by key hash
    /// into as many slices as it needs, a pass each, so memory stays bounded however large one range is. Each pass
    /// costs one more read of the source.
    /// </summary>
    public IReadOnlyList<ExactPass> ExactPassGroups(long maxKeys)
    {
        var passes = new List<ExactPass>();
        var group = new List<int>();
        long keys = 0;
        for (int range = 0; range < _tallies.Length; range++)
        {
            if (!_tallies[range].NeedsExactPass)
            {
                continue;
            }

            _tallies[range].CheckedExactly = true;
            long size = _tallies[range].TableKeys.Count + _tallies[range].SourceRows;
            if (size > maxKeys)
            {
                int slices = (int)Math.Min(int.MaxValue, (size + maxKeys - 1) / maxKeys);
                for (int slice = 0; slice < slices; slice++)
                {
                    passes.Add(new ExactPass([range], slice, slices));
                }

                continue;
            }

            if (group.Count > 0 && keys + size > maxKeys)
            {
                passes.Add(new ExactPass([.. group]));
                group.Clear();
                keys = 0;
            }

            group.Add(range);
            keys += size;
        }

        if (group.Count > 0)
        {
            passes.Add(new ExactPass([.. group]));
        }

        return passes;
    }

    private void List(List<string> keys, ReadOnlySpan<byte> key)
    {
        if (_reported < _maxReportedKeys)
        {
            _reported++;
            keys.Add(RowKeyFormat.Display(key));
        }
    }
}

/// <summary>How one source row compared with the table.</summary>
internal enum RowOutcome
{
    Matched,
    Missing,
    Changed,

    /// <summary>A newer event overwrote a feature (and GC took the row's own cell): not a difference.</summary>
    Superseded,
}
