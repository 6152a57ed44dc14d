using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Files;
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
    public const string SampleTable = "projects/local/datasets/features/tables/sample";

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

    /// <summary>Opens a <c>files:</c> source.</summary>
    /// <exception cref="FileSourceException">The files cannot be read as a source (reported before anything is written).</exception>
    public static async Task<IRowSource> OpenFilesAsync(string spec, FeatureSetOptions featureSet, IDeadLetterSink deadLetters, CancellationToken cancellationToken, bool csvAllowQuotedNewlines = false, int maxRecordBytes = CsvFileSourceOptions.DefaultMaxRecordBytes)
    {
        (string baseDirectory, string glob) = Split(spec["files:".Length..]);
        return glob.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
            ? await ParquetFileSource.OpenAsync(baseDirectory, glob, new ParquetFileSourceOptions { MaxValueBytes = maxRecordBytes }, deadLetters, cancellationToken).ConfigureAwait(false)
            : await CsvFileSource.OpenAsync(baseDirectory, glob, new CsvFileSourceOptions { Schema = CsvSchema(featureSet), AllowQuotedNewlines = csvAllowQuotedNewlines, MaxRecordBytes = maxRecordBytes }, deadLetters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// CSV columns typed by the feature set rather than guessed from a sample, so one bad cell dead-letters its row
    /// instead of turning the whole column into text.
    /// </summary>
    internal static SourceSchema CsvSchema(FeatureSetOptions featureSet)
    {
        var fields = new Dictionary<string, SourceField>(StringComparer.Ordinal);
        foreach (string key in featureSet.EntityKey)
        {
            fields.TryAdd(key, new SourceField(key, ColumnType.String));
        }

        fields.TryAdd(featureSet.EventTime, new SourceField(featureSet.EventTime, ColumnType.Timestamp));
        foreach (FeatureOptions feature in featureSet.Features)
        {
            fields.TryAdd(feature.SourceColumn, new SourceField(feature.SourceColumn, RowMapper.ToColumnType(feature.Type)));
        }

        return new SourceSchema([.. fields.Values]);
    }

    /// <summary>The folder before the first wildcard, and the glob from there.</summary>
    internal static (string BaseDirectory, string Glob) Split(string pattern)
    {
        string[] parts = pattern.Replace('\\', '/').Split('/');
        int wildcard = Array.FindIndex(parts, p => p.IndexOfAny(['*', '?', '[', '{']) >= 0);
        int split = wildcard < 0 ? parts.Length - 1 : wildcard;
        string baseDirectory = split == 0 ? (pattern.StartsWith('/') ? "/" : ".") : string.Join('/', parts[..split]);
        return (Path.GetFullPath(baseDirectory.Length == 0 ? "/" : baseDirectory), string.Join('/', parts[split..]));
    }
}
