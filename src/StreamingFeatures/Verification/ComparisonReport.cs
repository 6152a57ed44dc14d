namespace StreamingFeatures.Verification;

/// <summary>
/// A table compared with its source: every source row matched, missing or changed, and rows of the table no source
/// row maps to (extra); totals, and each key range that differs with the keys found there (up to the cap, over
/// all ranges together).
/// </summary>
public sealed record ComparisonReport
{
    public long SourceRows { get; init; }

    /// <summary>Source rows that can never be written (a bad value, no key): not compared, as a migration dead-letters them.</summary>
    public long Rejected { get; init; }

    public long Matched { get; init; }

    public long Missing { get; init; }

    public long Changed { get; init; }

    /// <summary>Rows a newer event overwrote since (a stream after a cutover): not a difference.</summary>
    public long Superseded { get; init; }

    public long TableRows { get; init; }

    public long Extra { get; init; }

    /// <summary>Key ranges compared (SampleRowKeys splits).</summary>
    public int RangeCount { get; init; }

    /// <summary>Ranges whose key sums differed and were searched key by key.</summary>
    public int RangesCheckedExactly { get; init; }

    /// <summary>Reads of the source: one, plus one per group of ranges searched exactly.</summary>
    public int SourcePasses { get; init; }

    /// <summary>The ranges with a missing, changed or extra row, in key order.</summary>
    public IReadOnlyList<RangeDifference> Differences { get; init; } = [];

    /// <summary>Nothing missing, changed or extra.</summary>
    public bool IsIdentical => Missing == 0 && Changed == 0 && Extra == 0;
}

/// <summary>
/// One key range with differences: its bounds as the report shows them (<c>[start, end)</c>), its figures and the
/// keys listed.
/// </summary>
public sealed record RangeDifference(
    string Range,
    long SourceRows,
    long TableRows,
    long Missing,
    long Changed,
    long Extra,
    IReadOnlyList<string> MissingKeys,
    IReadOnlyList<string> ChangedKeys,
    IReadOnlyList<string> ExtraKeys);
