using Google.Cloud.Bigtable.V2;
using StreamingFeatures.Keys;

namespace StreamingFeatures.Serving;

/// <summary>
/// The server-side filter of a feature read. Per family, the requested columns (exact column ranges, no regex to
/// escape) in three labelled branches of one Interleave:
/// <list type="bullet">
/// <item><c>v</c>: cells in <c>[asOf − maxAge, asOf]</c>, newest only — the values;</item>
/// <item><c>o</c>: cells before <c>asOf − maxAge</c>, newest only, value stripped — tells OUTSIDE_MAX_AGE from
/// NOT_FOUND by its timestamp alone, without shipping the stale value (only for families with a max age);</item>
/// <item><c>r</c>: one cell of the row in the feature set's families within the widest requested window, value
/// stripped — the entity exists, so a nullable feature without a cell is NULL_VALUE (only when a requested feature is nullable).</item>
/// </list>
/// Labels, not values, tell the branches apart: an empty string is a real value. One cell per column means
/// versions that garbage collection has not yet removed never leave the server.
/// </summary>
internal static class ReadFilter
{
    public const string ValueLabel = "v";
    public const string OutsideMaxAgeLabel = "o";
    public const string RowLabel = "r";

    /// <summary>The filter for <paramref name="features"/> as of <paramref name="asOfMicros"/> (a cell timestamp, whole milliseconds).</summary>
    public static RowFilter Build(IReadOnlyList<ServedFeature> features, long asOfMicros, IReadOnlyList<string> featureSetFamilies)
    {
        long end = asOfMicros + 1000;
        var branches = new List<RowFilter>();

        // The row branch looks as far back as the widest window requested: no further, or an entity whose cells all
        // aged out would answer NULL_VALUE until garbage collection removes them, then NOT_FOUND.
        long rowStart = long.MaxValue;
        foreach (IGrouping<string, ServedFeature> family in features.GroupBy(f => f.Family, StringComparer.Ordinal))
        {
            long? lower = family.First().MaxAgeMicros is { } maxAge && asOfMicros - maxAge > 0 ? asOfMicros - maxAge : null;
            rowStart = Math.Min(rowStart, lower ?? 0);
            branches.Add(Chain(Columns(family), Range(lower ?? 0, end), new RowFilter { CellsPerColumnLimitFilter = 1 }, new RowFilter { ApplyLabelTransformer = ValueLabel }));
            if (lower is { } start)
            {
                branches.Add(Chain(Columns(family), Range(0, start), new RowFilter { CellsPerColumnLimitFilter = 1 }, new RowFilter { StripValueTransformer = true }, new RowFilter { ApplyLabelTransformer = OutsideMaxAgeLabel }));
            }
        }

        if (features.Any(f => f.Nullable))
        {
            branches.Add(Chain(
                new RowFilter { FamilyNameRegexFilter = FamilyPattern(featureSetFamilies) },
                Range(rowStart == long.MaxValue ? 0 : rowStart, end),
                new RowFilter { CellsPerRowLimitFilter = 1 },
                new RowFilter { StripValueTransformer = true },
                new RowFilter { ApplyLabelTransformer = RowLabel }));
        }

        return branches.Count == 1 ? branches[0] : Interleave(branches);
    }

    /// <summary>A read's as-of time as a cell timestamp: microseconds floored to the millisecond, as the writers stamp cells.</summary>
    public static long AsOfMicros(DateTimeOffset asOf) => CellEncoding.CellTimestampMicros(CellEncoding.ToUnixMicros(asOf));

    private static RowFilter Columns(IEnumerable<ServedFeature> family)
    {
        List<RowFilter> columns = [.. family.Select(f => new RowFilter
        {
            ColumnRangeFilter = new ColumnRange { FamilyName = f.Family, StartQualifierClosed = f.Qualifier, EndQualifierClosed = f.Qualifier },
        })];
        return columns.Count == 1 ? columns[0] : Interleave(columns);
    }

    private static RowFilter Range(long start, long end) =>
        new() { TimestampRangeFilter = new TimestampRange { StartTimestampMicros = start, EndTimestampMicros = end } };

    // Family names are [-_.a-zA-Z0-9]: only the dot means anything to RE2.
    private static string FamilyPattern(IReadOnlyList<string> families) =>
        (families.Count == 1 ? string.Empty : "(") + string.Join('|', families.Select(f => f.Replace(".", "\\.", StringComparison.Ordinal))) + (families.Count == 1 ? string.Empty : ")");

    private static RowFilter Chain(params RowFilter[] filters)
    {
        var chain = new RowFilter.Types.Chain();
        chain.Filters.Add(filters);
        return new RowFilter { Chain = chain };
    }

    private static RowFilter Interleave(IEnumerable<RowFilter> filters)
    {
        var interleave = new RowFilter.Types.Interleave();
        interleave.Filters.Add(filters);
        return new RowFilter { Interleave = interleave };
    }
}
