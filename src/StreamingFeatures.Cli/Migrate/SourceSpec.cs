using StreamingFeatures.Jobs;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>
/// Parses <c>--source</c>: <c>sample</c> (a deterministic sample table served by the built-in BigQuery Storage
/// emulator and read through the BigQuery Storage Read API), <c>synthetic</c> (the same rows straight from the
/// generator), <c>files:GLOB</c> where the glob ends in <c>.parquet</c> or <c>.csv</c>, or
/// <c>bigquery:projects/P/datasets/D/tables/T</c>.
/// </summary>
internal static class SourceSpec
{
    public const string Allowed = "sample, synthetic, files:GLOB.parquet, files:GLOB.csv, bigquery:TABLE (TABLE as " + BigQueryTableName.Forms + ")";
    public const string SampleTable = MigrationSource.Sample.TableName;

    /// <summary>
    /// The kind of source, and for BigQuery the table as <c>projects/P/datasets/D/tables/T</c> (null when it names
    /// no table); null when the spec matches no kind.
    /// </summary>
    public static SourceKind? KindOf(string spec, out string? bigQueryTable)
    {
        bigQueryTable = null;
        switch (spec)
        {
            case "sample":
                bigQueryTable = SampleTable;
                return SourceKind.Sample;
            case "synthetic":
                return SourceKind.Synthetic;
        }

        if (spec.StartsWith("bigquery:", StringComparison.Ordinal))
        {
            bigQueryTable = BigQueryTableName.Normalize(spec["bigquery:".Length..]);
            return SourceKind.BigQuery;
        }

        return spec.StartsWith("files:", StringComparison.Ordinal)
            && (spec.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) || spec.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            ? SourceKind.Files
            : null;
    }

    /// <summary>The generator behind <c>sample</c> and <c>synthetic</c>.</summary>
    public static SyntheticSource Sample(long rows, int features = 8) => new(new SyntheticSourceOptions { Rows = rows, Features = features });

    /// <summary>The folder before the first wildcard, and the glob from there.</summary>
    internal static (string BaseDirectory, string Glob) Split(string pattern) => FileSources.Split(pattern);
}
