using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Cli.Serve;

/// <summary>The feature sets one server answers, by name (their table), each with its own <see cref="FeatureReader"/>.</summary>
internal sealed class ServedFeatureSets
{
    private readonly Dictionary<string, (FeatureSetOptions FeatureSet, FeatureReader Reader)> _sets;

    private ServedFeatureSets(Dictionary<string, (FeatureSetOptions, FeatureReader)> sets) => _sets = sets;

    /// <summary>The names served, in the order the feature sets were given.</summary>
    public IReadOnlyList<string> Names { get; private init; } = [];

    public IEnumerable<FeatureSetOptions> FeatureSets => Names.Select(n => _sets[n].FeatureSet);

    /// <summary>Loads every file into <paramref name="loaded"/>; null, or the problem (a bad file, two files of one table).</summary>
    public static string? TryLoad(IReadOnlyList<FileInfo> files, out List<FeatureSetOptions> loaded)
    {
        loaded = [];
        var fileOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (FileInfo file in files)
        {
            FeatureSetOptions featureSet;
            try
            {
                featureSet = FeatureSetLoader.Load(file.FullName);
            }
            catch (FeatureSetException e)
            {
                return e.Message;
            }

            if (!fileOf.TryAdd(featureSet.Table, file.FullName))
            {
                return $"--feature-set is '{file.FullName}', whose table '{featureSet.Table}' --feature-set '{fileOf[featureSet.Table]}' serves already; allowed: feature sets of distinct tables (a set's name is its table).";
            }

            loaded.Add(featureSet);
        }

        return null;
    }

    /// <summary>One reader per feature set on <paramref name="connection"/>.</summary>
    /// <exception cref="NotSupportedException">A feature set keys rows by time, which the reader cannot serve.</exception>
    public static ServedFeatureSets Create(BigtableConnection connection, IEnumerable<FeatureSetOptions> featureSets, FeatureReaderOptions options, ServingMetrics? metrics, TimeProvider time)
    {
        var sets = new Dictionary<string, (FeatureSetOptions, FeatureReader)>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (FeatureSetOptions featureSet in featureSets)
        {
            sets.Add(featureSet.Table, (featureSet, FeatureReader.Create(connection, featureSet, options, time, metrics)));
            names.Add(featureSet.Table);
        }

        return new ServedFeatureSets(sets) { Names = names };
    }

    /// <summary>The reader of <paramref name="name"/>, or null when it is not served.</summary>
    public FeatureReader? ReaderOf(string name) => _sets.TryGetValue(name, out var set) ? set.Reader : null;

    public FeatureSetOptions? FeatureSetOf(string name) => _sets.TryGetValue(name, out var set) ? set.FeatureSet : null;
}
