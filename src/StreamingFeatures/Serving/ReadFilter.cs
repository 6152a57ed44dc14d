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
/// versions that garbage collection has not yet removed never leave the server. Built once per set of features:
/// a read only adds its time ranges (shared filters are never changed, only serialized).
/// </summary>
internal sealed class ReadFilter
{
    public const string ValueLabel = "v";
    public const string OutsideMaxAgeLabel = "o";
    public const string RowLabel = "r";

    private static readonly RowFilter OneCellPerColumn = new() { CellsPerColumnLimitFilter = 1 };
    private static readonly RowFilter OneCellPerRow = new() { CellsPerRowLimitFilter = 1 };
    private static readonly RowFilter StripValue = new() { StripValueTransformer = true };
    private static readonly RowFilter Value = new() { ApplyLabelTransformer = ValueLabel };
    private static readonly RowFilter OutsideMaxAge = new() { ApplyLabelTransformer = OutsideMaxAgeLabel };
    private static readonly RowFilter RowExists = new() { ApplyLabelTransformer = RowLabel };

    private readonly (RowFilter Columns, long? MaxAgeMicros)[] _families;
    private readonly RowFilter? _rowFamilies;

    /// <summary>The filter's fixed parts for <paramref name="features"/>, in a feature set of <paramref name="featureSetFamilies"/>.</summary>
    public ReadFilter(IReadOnlyList<ServedFeature> features, IReadOnlyList<string> featureSetFamilies)
    {
        _families = [.. features.GroupBy(f => f.Family, StringComparer.Ordinal).Select(family => (Columns(family), family.First().MaxAgeMicros))];
        _rowFamilies = features.Any(f => f.Nullable) ? new RowFilter { FamilyNameRegexFilter = FamilyPattern(featureSetFamilies) } : null;
    }

    /// <summary>The filter for <paramref name="features"/> as of <paramref name="asOfMicros"/> (a cell timestamp, whole milliseconds).</summary>
    public static RowFilter Build(IReadOnlyList<ServedFeature> features, long asOfMicros, IReadOnlyList<string> featureSetFamilies) =>
        new ReadFilter(features, featureSetFamilies).For(asOfMicros);

    /// <summary>The filter as of <paramref name="asOfMicros"/> (a cell timestamp, whole milliseconds).</summary>
    public RowFilter For(long asOfMicros)
    {
        long end = asOfMicros + 1000;
        var branches = new RowFilter.Types.Interleave();

        // The row branch looks as far back as the widest window requested: no further, or an entity whose cells all
        // aged out would answer NULL_VALUE until garbage collection removes them, then NOT_FOUND.
        long rowStart = long.MaxValue;
        foreach ((RowFilter columns, long? maxAge) in _families)
        {
            long? lower = maxAge is { } age && asOfMicros - age > 0 ? asOfMicros - age : null;
            rowStart = Math.Min(rowStart, lower ?? 0);
            branches.Filters.Add(Chain(columns, Range(lower ?? 0, end), OneCellPerColumn, Value));
            if (lower is { } start)
            {
                branches.Filters.Add(Chain(columns, Range(0, start), OneCellPerColumn, StripValue, OutsideMaxAge));
            }
        }

        if (_rowFamilies is not null)
        {
            branches.Filters.Add(Chain(_rowFamilies, Range(rowStart == long.MaxValue ? 0 : rowStart, end), OneCellPerRow, StripValue, RowExists));
        }

        return branches.Filters.Count == 1 ? branches.Filters[0] : new RowFilter { Interleave = branches };
    }

    /// <summary>A read's as-of time as a cell timestamp: microseconds floored to the millisecond, as the writers stamp cells.</summary>
    public static long AsOfMicros(DateTimeOffset asOf) => CellEncoding.CellTimestampMicros(CellEncoding.ToUnixMicros(asOf));

    private static RowFilter Columns(IEnumerable<ServedFeature> family)
    {
        List<RowFilter> columns = [.. family.Select(f => new RowFilter
        {
            ColumnRangeFilter = new ColumnRange { FamilyName = f.Family, StartQualifierClosed = f.Qualifier, EndQualifierClosed = f.Qualifier },
        })];
        if (columns.Count == 1)
        {
            return columns[0];
        }

        var interleave = new RowFilter.Types.Interleave();
        interleave.Filters.Add(columns);
        return new RowFilter { Interleave = interleave };
    }

    private static RowFilter Range(long start, long end) =>
        new() { TimestampRangeFilter = new TimestampRange { StartTimestampMicros = start, EndTimestampMicros = end } };

    // Family names are [-_.a-zA-Z0-9]: only the dot means anything to RE2.
    private static string FamilyPattern(IReadOnlyList<string> families) =>
        (families.Count == 1 ? string.Empty : "(") + string.Join('|', families.Select(f => f.Replace(".", "\\.", StringComparison.Ordinal))) + (families.Count == 1 ? string.Empty : ")");

    private static RowFilter Chain(params ReadOnlySpan<RowFilter> filters)
    {
        var chain = new RowFilter.Types.Chain();
        foreach (RowFilter filter in filters)
        {
            chain.Filters.Add(filter);
        }

        return new RowFilter { Chain = chain };
    }
}
