using StreamingFeatures.FeatureSets;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.LoadTesting.Service;

/// <summary>
/// Whether the events a profile publishes become rows under the feature set a running ingest service runs: the
/// service keys rows by its feature set's entity key and reads each feature's column with its type, so events that do
/// not fit would all turn into poison messages. Checked before anything is published.
/// </summary>
internal static class IngestFeatureSetFit
{
    /// <summary>Every misfit, each naming the feature set (<paramref name="origin"/>), the field and what the events carry.</summary>
    public static IReadOnlyList<string> Problems(SyntheticSource rows, int valueBytes, FeatureSetOptions featureSet, string origin)
    {
        var problems = new List<string>();
        var carried = rows.FeatureSet("fit").Features.ToDictionary(f => f.Name, f => f.Type, StringComparer.Ordinal);
        string columns = $"{SyntheticSource.EntityColumn}, {SyntheticSource.EventTimeColumn}, {SyntheticSource.FeatureName(0)}..{SyntheticSource.FeatureName(carried.Count - 1)}";
        if (featureSet.EntityKey is not [SyntheticSource.EntityColumn])
        {
            problems.Add($"{origin}: entityKey is [{string.Join(", ", featureSet.EntityKey)}]; the load test's events are keyed by {SyntheticSource.EntityColumn} alone.");
        }

        if (featureSet.EventTime != SyntheticSource.EventTimeColumn)
        {
            problems.Add($"{origin}: eventTime is '{featureSet.EventTime}'; the load test's events carry it in {SyntheticSource.EventTimeColumn}.");
        }

        foreach (FeatureOptions feature in featureSet.Features)
        {
            if (!carried.TryGetValue(feature.SourceColumn, out FeatureType type))
            {
                if (!feature.Nullable)
                {
                    problems.Add($"{origin}: feature {feature.Name} reads column '{feature.SourceColumn}', which the profile's events do not carry (they carry {columns}; rows.features sets how many).");
                }
            }
            else if (type != feature.Type)
            {
                problems.Add($"{origin}: feature {feature.Name} is {feature.Type.ToString().ToLowerInvariant()}, but the profile's events carry {type.ToString().ToLowerInvariant()} in '{feature.SourceColumn}' (rows.valueBytes {valueBytes}: 0 makes every feature int64, above 0 a mix of int64, float64, bool and string).");
            }
        }

        return problems;
    }
}
