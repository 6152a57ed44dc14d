using StreamingFeatures.Serving;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.LoadTesting;

/// <summary>
/// The entities a read workload asks for: key n of the run is the synthetic generator's entity of row n under the
/// reads' distribution and seed, so reads draw from the same entity numbers (and ids) the writes load, and the same
/// seed asks for the same keys in the same order. Thread-safe (a pure function of n).
/// </summary>
public sealed class ReadKeys
{
    private readonly SyntheticSource _draws;

    public ReadKeys(LoadKeys keys, int seed)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _draws = new SyntheticSource(keys.SourceOptions(LoadProfileValidator.MaxRows) with { Features = 1, Seed = seed });
    }

    /// <summary>The entity number of key <paramref name="n"/> (0-based over the whole run).</summary>
    public long EntityOf(long n) => _draws.EntityOf(n);

    /// <summary>Request <paramref name="request"/>'s <paramref name="batchSize"/> entity keys, as the writers named them.</summary>
    public EntityKey[] Batch(long request, int batchSize)
    {
        var batch = new EntityKey[batchSize];
        for (int i = 0; i < batchSize; i++)
        {
            batch[i] = SyntheticSource.EntityId(EntityOf((request * batchSize) + i));
        }

        return batch;
    }
}
