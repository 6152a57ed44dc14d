using StreamingFeatures.Serving;

namespace StreamingFeatures.Perf.Serve;

/// <summary>The engine's FeatureReader in this process: keys built, sorted, read, merged and every value decoded.</summary>
internal sealed class ReaderVariant(FeatureReader reader, DateTimeOffset asOf) : IReadVariant
{
    private readonly Dictionary<ServeKeys, EntityKey[][]> _entities = [];

    public string Name => "featureReader";

    public bool CountsDistinct => false;

    /// <summary>The entity keys of every batch, made once: the bare loop does not pay for its keys either.</summary>
    public void Prepare(ServeKeys keys) =>
        _entities[keys] = [.. keys.Batches.Select(batch => batch.Select(id => new EntityKey(id)).ToArray())];

    public async Task<int> ReadAsync(ServeKeys keys, int batch, CancellationToken cancellationToken)
    {
        FeatureReadResult result = await reader.ReadAsync(_entities[keys][batch], asOf: asOf, cancellationToken: cancellationToken).ConfigureAwait(false);
        int found = 0;
        foreach (EntityFeatures entity in result.Entities)
        {
            found += entity.Features[0].Status == FeatureStatus.Present ? 1 : 0;
        }

        return found;
    }
}
