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
    /// The ranges whose key sums differ, in groups small enough to hold their source keys at once: each group's
    /// table and source rows together stay within <paramref name="maxKeys"/> (a range larger than that alone is a
    /// group of its own). Each group costs one more read of the source.
    /// </summary>
    public IReadOnlyList<int[]> ExactPassGroups(long maxKeys)
    {
        var groups = new List<int[]>();
        var group = new List<int>();
        long keys = 0;
        for (int range = 0; range < _tallies.Length; range++)
        {
            if (!_tallies[range].NeedsExactPass)
            {
                continue;
            }

            long size = _tallies[range].TableKeys.Count + _tallies[range].SourceRows;
            if (group.Count > 0 && keys + size > maxKeys)
            {
                groups.Add([.. group]);
                group.Clear();
                keys = 0;
            }

            group.Add(range);
            keys += size;
            _tallies[range].CheckedExactly = true;
        }

        if (group.Count > 0)
        {
            groups.Add([.. group]);
        }

        return groups;
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
