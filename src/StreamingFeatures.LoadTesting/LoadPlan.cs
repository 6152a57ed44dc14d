using StreamingFeatures.FeatureSets;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.LoadTesting;

/// <summary>What a profile asks of the generator and the row keys.</summary>
public static class LoadPlan
{
    /// <summary>The generator of the profile's rows: <paramref name="rows"/> of them, one partition, its keys and sizes.</summary>
    public static SyntheticSource Rows(LoadProfile profile, long rows, int chunkRows = 1_024)
    {
        ArgumentNullException.ThrowIfNull(profile);
        LoadKeys keys = profile.Keys;
        return new SyntheticSource(keys.SourceOptions(Math.Max(1, rows)) with
        {
            Features = profile.Rows.Features,
            ValueBytes = profile.Rows.ValueBytes,
            ChunkRows = chunkRows,
        });
    }

    /// <summary>
    /// The feature set a run writes on <paramref name="table"/> (or on a table of its own when null): the features
    /// of its generator, so <c>serve --feature-set</c> can serve what it writes.
    /// </summary>
    public static FeatureSetOptions FeatureSet(LoadProfile profile, string? table) =>
        Rows(profile, 1).FeatureSet(table ?? $"loadtest-{profile.Name}-{Guid.NewGuid():N}"[..Math.Min(profile.Name.Length + 18, 50)], RowKey(profile));

    public static RowKeyOptions RowKey(LoadProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new RowKeyOptions { BucketPrefix = profile.RowKey.BucketPrefix, Buckets = profile.RowKey.Buckets };
    }

    /// <summary>The heatmap's ranges: even splits of the profile's key space.</summary>
    public static KeyRanges EvenRanges(LoadProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return KeyRanges.Even(profile.Measure.KeyRanges, profile.Keys.KeySpace, RowKey(profile));
    }
}
