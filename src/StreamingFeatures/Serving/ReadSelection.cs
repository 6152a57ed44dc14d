using System.Collections.ObjectModel;

namespace StreamingFeatures.Serving;

/// <summary>
/// The features one read asks for, with what answering them needs, built once: the reader keeps the one for every
/// feature, so a read without a feature list builds nothing of this per call.
/// </summary>
internal sealed class ReadSelection
{
    public ReadSelection(ServedFeature[] features, IReadOnlyList<string> featureSetFamilies)
    {
        Features = features;
        Names = Array.AsReadOnly(Array.ConvertAll(features, f => f.Name));
        Answer = new RowAnswer(features);
        Filter = new ReadFilter(features, featureSetFamilies);
        FeatureResult[] missing = new FeatureResult[features.Length];
        Array.Fill(missing, FeatureResult.NotFound);
        Missing = Array.AsReadOnly(missing);
    }

    public ServedFeature[] Features { get; }

    public ReadOnlyCollection<string> Names { get; }

    public RowAnswer Answer { get; }

    public ReadFilter Filter { get; }

    /// <summary>The answer for an entity whose row was not returned at all (shared: nobody can change it).</summary>
    public ReadOnlyCollection<FeatureResult> Missing { get; }
}
