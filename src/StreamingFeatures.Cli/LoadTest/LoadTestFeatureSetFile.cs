using System.Text.Json;
using System.Text.Json.Serialization;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>
/// <c>--write-feature-set</c>: the feature set a run writes (its generated features on <c>--table</c>) as a file
/// <c>serve --feature-set</c> loads, so a running serve reads the load test's table with its types.
/// </summary>
internal static class LoadTestFeatureSetFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Writes <paramref name="featureSet"/>; null, or one line naming the file when it cannot be written.</summary>
    public static string? Write(FileInfo file, FeatureSetOptions featureSet)
    {
        try
        {
            File.WriteAllText(file.FullName, Text(featureSet));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"--write-feature-set is '{file.FullName}'; it could not be written: {e.Message}";
        }
    }

    /// <summary>The loader's JSON shape (the sample files' keys), every setting spelled out.</summary>
    public static string Text(FeatureSetOptions featureSet) => JsonSerializer.Serialize(
        new
        {
            table = featureSet.Table,
            entityKey = featureSet.EntityKey,
            eventTime = featureSet.EventTime,
            nulls = featureSet.Nulls.ToString().ToLowerInvariant(),
            families = featureSet.Families.ToDictionary(
                f => f.Key,
                f => new { maxVersions = f.Value.MaxVersions, maxAge = f.Value.MaxAge is { } age ? DurationText.Format(age) : null }),
            rowKey = new
            {
                bucketPrefix = featureSet.RowKey.BucketPrefix,
                buckets = featureSet.RowKey.Buckets,
                delimiter = featureSet.RowKey.Delimiter,
                reversedTimeSuffix = featureSet.RowKey.ReversedTimeSuffix,
            },
            features = featureSet.Features.Select(f => new
            {
                name = f.Name,
                column = f.Column,
                family = f.Family,
                qualifier = f.Qualifier,
                type = f.Type.ToString().ToLowerInvariant(),
                nullable = f.Nullable,
            }),
        },
        Json);
}
