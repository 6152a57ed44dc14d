using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Jobs;

/// <summary>Opens a <see cref="MigrationSource.Files"/> source: Parquet or CSV files matched by a glob.</summary>
public static class FileSources
{
    /// <exception cref="FileSourceException">The files cannot be read as a source (reported before anything is written).</exception>
    public static async Task<IRowSource> OpenAsync(MigrationSource.Files files, FeatureSetOptions featureSet, IDeadLetterSink deadLetters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(featureSet);
        (string baseDirectory, string glob) = Split(files.Pattern);
        return glob.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
            ? await ParquetFileSource.OpenAsync(baseDirectory, glob, new ParquetFileSourceOptions { MaxValueBytes = files.MaxRecordBytes }, deadLetters, cancellationToken).ConfigureAwait(false)
            : await CsvFileSource.OpenAsync(baseDirectory, glob, new CsvFileSourceOptions { Schema = CsvSchema(featureSet), AllowQuotedNewlines = files.CsvAllowQuotedNewlines, MaxRecordBytes = files.MaxRecordBytes }, deadLetters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The files' names in partition order, as messages show them (relative to the glob's base directory); null when
    /// the glob no longer matches. Reports name each file's figures with them.
    /// </summary>
    public static IReadOnlyList<string>? Names(MigrationSource.Files files)
    {
        ArgumentNullException.ThrowIfNull(files);
        (string baseDirectory, string glob) = Split(files.Pattern);
        try
        {
            return [.. FileGlob.Expand(baseDirectory, glob).Select(f => FileGlob.Display(baseDirectory, f))];
        }
        catch (Exception e) when (e is FileSourceException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// CSV columns typed by the feature set rather than guessed from a sample, so one bad cell dead-letters its row
    /// instead of turning the whole column into text.
    /// </summary>
    public static SourceSchema CsvSchema(FeatureSetOptions featureSet)
    {
        ArgumentNullException.ThrowIfNull(featureSet);
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
    public static (string BaseDirectory, string Glob) Split(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        string[] parts = pattern.Replace('\\', '/').Split('/');
        int wildcard = Array.FindIndex(parts, p => p.IndexOfAny(['*', '?', '[', '{']) >= 0);
        int split = wildcard < 0 ? parts.Length - 1 : wildcard;
        string baseDirectory = split == 0 ? (pattern.StartsWith('/') ? "/" : ".") : string.Join('/', parts[..split]);
        return (Path.GetFullPath(baseDirectory.Length == 0 ? "/" : baseDirectory), string.Join('/', parts[split..]));
    }
}
