using Google.Cloud.Bigtable.V2;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// What a migration of the sample must leave in Bigtable, computed from the generator (the options of
/// <see cref="SourceSpec.Sample"/>) rather than from the engine's mapper: row i is one row keyed by its entity,
/// with one cell per feature in family <c>f</c>, stamped with its event time, holding the big-endian int64 value.
/// </summary>
internal static class SampleContents
{
    private const int MaxReported = 20;

    /// <summary>Every way the table differs from the sample of <paramref name="rows"/> rows (the first few described, then a count).</summary>
    public static async Task<IReadOnlyList<string>> DifferencesAsync(TargetTable table, long rows, CancellationToken cancellationToken)
    {
        SyntheticSource source = SourceSpec.Sample(rows);
        FeatureSetOptions featureSet = source.FeatureSet(table.Id);
        var keys = new RowKeyFormat(featureSet.RowKey);
        var rowOfKey = new Dictionary<string, long>(checked((int)rows), StringComparer.Ordinal);
        for (long i = 0; i < rows; i++)
        {
            rowOfKey.Add(RowKeyFormat.Display(keys.ForEntity([SyntheticSource.EntityId(source.EntityOf(i))])), i);
        }

        var seen = new bool[rows];
        var problems = new List<string>();
        long total = 0;
        void Problem(string text)
        {
            if (++total <= MaxReported)
            {
                problems.Add(text);
            }
        }

        bool exists = await table.ScanAsync(
            row =>
            {
                string key = row.Key.ToStringUtf8();
                if (!rowOfKey.TryGetValue(key, out long i))
                {
                    Problem($"unexpected row {key}");
                }
                else if (seen[i])
                {
                    Problem($"row {key} returned twice");
                }
                else
                {
                    seen[i] = true;
                    CheckCells(source, featureSet, row, i, key, Problem);
                }
            },
            cancellationToken);
        if (!exists)
        {
            return [$"table {table.Name} does not exist"];
        }

        for (long i = 0; i < rows; i++)
        {
            if (!seen[i])
            {
                Problem($"missing row {i} (entity {SyntheticSource.EntityId(source.EntityOf(i))})");
            }
        }

        if (total > MaxReported)
        {
            problems.Add($"... {total} differences in all");
        }

        return problems;
    }

    private static void CheckCells(SyntheticSource source, FeatureSetOptions featureSet, Row row, long i, string key, Action<string> problem)
    {
        long timestamp = CellEncoding.CellTimestampMicros(source.EventTimeMicros(i));
        int cells = row.Families.Sum(f => f.Columns.Sum(c => c.Cells.Count));
        if (cells != featureSet.Features.Count)
        {
            problem($"row {key} has {cells} cells; expected {featureSet.Features.Count}");
        }

        for (int feature = 0; feature < featureSet.Features.Count; feature++)
        {
            FeatureOptions options = featureSet.Features[feature];
            Cell? cell = row.Families.Where(f => f.Name == options.Family)
                .SelectMany(f => f.Columns)
                .Where(c => c.Qualifier.ToStringUtf8() == options.ColumnQualifier)
                .SelectMany(c => c.Cells)
                .FirstOrDefault();
            if (cell is null)
            {
                problem($"row {key} lacks {options.Family}:{options.ColumnQualifier}");
            }
            else if (cell.TimestampMicros != timestamp)
            {
                problem($"row {key} {options.ColumnQualifier} is stamped {cell.TimestampMicros}; expected {timestamp}");
            }
            else if (!cell.Value.Span.SequenceEqual(CellEncoding.Int64(source.Int64Value(i, feature))))
            {
                problem($"row {key} {options.ColumnQualifier} holds {Convert.ToHexString(cell.Value.Span)}; expected {source.Int64Value(i, feature)}");
            }
        }
    }
}
