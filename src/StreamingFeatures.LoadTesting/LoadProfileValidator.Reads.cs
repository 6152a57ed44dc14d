using StreamingFeatures.FeatureSets;
using StreamingFeatures.Serving;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.LoadTesting;

/// <summary>The <c>reads:</c> section against its target, the reader's batch limit and the rows' features.</summary>
internal static partial class LoadProfileValidator
{
    public const int MaxInFlight = 10_000;

    private static void CheckReads(LoadProfile profile, List<FeatureSetError> errors)
    {
        if (profile.Reads is not { } reads)
        {
            if (profile.Target == LoadTarget.Serve)
            {
                errors.Add(new FeatureSetError("reads", "reads is missing; target serve needs it (reads.shape, the request rate, at least)"));
            }

            return;
        }

        if (profile.Target == LoadTarget.Ingest)
        {
            errors.Add(new FeatureSetError("reads", "reads is set, but target ingest measures a running service's writes only; allowed with targets synthetic, bigquery, pubsub and serve"));
            return;
        }

        // The shape's checks name "shape.*"; the same checks here name the reads' own paths.
        var shapeErrors = new List<FeatureSetError>();
        LoadShapeChecks.Check(reads.Shape, shapeErrors);
        errors.AddRange(shapeErrors.Select(e => new FeatureSetError("reads." + e.Path, e.Message.Replace("shape.", "reads.shape.", StringComparison.Ordinal).Replace("rows per second", "requests per second", StringComparison.Ordinal))));
        Range(errors, "reads.batchSize", reads.BatchSize, 1, FeatureReaderLimits.MaxBatchKeys.Default);
        Range(errors, "reads.maxInFlight", reads.MaxInFlight, 1, MaxInFlight);
        var keyErrors = new List<FeatureSetError>();
        CheckKeys(reads.Keys, keyErrors);
        errors.AddRange(keyErrors.Select(e => new FeatureSetError("reads." + e.Path, e.Message.Replace("keys.", "reads.keys.", StringComparison.Ordinal))));
        if (reads.Keys.KeySpace > profile.Keys.KeySpace)
        {
            errors.Add(FeatureSetError.Invalid("reads.keys.keySpace", FeatureSetError.Show(reads.Keys.KeySpace), $"1 to keys.keySpace ({FeatureSetError.Show(profile.Keys.KeySpace)}), the entities the writes load"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < reads.Features.Count; i++)
        {
            string name = reads.Features[i];
            string path = FeatureSetPaths.Item("reads.features", i);
            int index = Enumerable.Range(0, profile.Rows.Features).FirstOrDefault(f => SyntheticSource.FeatureName(f) == name, -1);
            if (index < 0)
            {
                errors.Add(FeatureSetError.Invalid(path, FeatureSetError.Show(name), $"a feature of the rows, f0 to f{profile.Rows.Features - 1}"));
            }
            else if (!seen.Add(name))
            {
                errors.Add(FeatureSetError.Invalid(path, FeatureSetError.Show(name), "each feature once"));
            }
        }
    }
}
