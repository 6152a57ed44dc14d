namespace StreamingFeatures.Verification;

/// <summary>The figures as a report.</summary>
internal sealed partial class TableComparison
{
    /// <summary>The report; ranges not searched exactly have no extras, since their key sums agree.</summary>
    public ComparisonReport Report(long rejected, int sourcePasses)
    {
        lock (_lock)
        {
            var differences = new List<RangeDifference>();
            long sourceRows = 0, matched = 0, missing = 0, changed = 0, superseded = 0, tableRows = 0, extra = 0;
            int exact = 0;
            for (int range = 0; range < _tallies.Length; range++)
            {
                RangeTally t = _tallies[range];
                sourceRows += t.SourceRows;
                matched += t.Matched;
                missing += t.Missing;
                changed += t.Changed;
                superseded += t.Superseded;
                tableRows += t.TableKeys.Count;
                extra += t.Extra;
                exact += t.CheckedExactly ? 1 : 0;
                if (t.HasDifferences)
                {
                    differences.Add(new RangeDifference(Ranges.Describe(range), t.SourceRows, t.TableKeys.Count, t.Missing, t.Changed, t.Extra, [.. t.MissingKeys], [.. t.ChangedKeys], [.. t.ExtraKeys]));
                }
            }

            return new ComparisonReport
            {
                SourceRows = sourceRows,
                Rejected = rejected,
                Matched = matched,
                Missing = missing,
                Changed = changed,
                Superseded = superseded,
                TableRows = tableRows,
                Extra = extra,
                RangeCount = _tallies.Length,
                RangesCheckedExactly = exact,
                SourcePasses = sourcePasses,
                Differences = differences,
            };
        }
    }
}
