using StreamingFeatures.FeatureSets;
using StreamingFeatures.Serving;

namespace StreamingFeatures.LoadTesting;

/// <summary>The read workload of a profile with a <c>reads</c> section: through the given client, else the reader in process.</summary>
public sealed partial class LoadTestJob
{
    private ReadLoad? Reads(FeatureSetOptions featureSet, string tableId)
    {
        if (_profile.Reads is not { } reads)
        {
            return null;
        }

        IReadClient client = _options.ReadClient?.Invoke(featureSet)
            ?? new InProcessReadClient(new FeatureReader(_bigtable.Target(tableId), featureSet, time: _options.Time), "FeatureReader in process");
        return new ReadLoad(reads, client, _options.Time);
    }
}
