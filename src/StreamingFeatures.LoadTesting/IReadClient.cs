using StreamingFeatures.Serving;

namespace StreamingFeatures.LoadTesting;

/// <summary>One way to reach the feature reader: in process, or a running serve endpoint.</summary>
public interface IReadClient
{
    /// <summary>Where the reads go, for the report.</summary>
    string Description { get; }

    /// <summary>Reads <paramref name="entities"/>; the statuses of the answered features, counted into <paramref name="statuses"/> (indexed by <see cref="FeatureStatus"/>).</summary>
    Task ReadAsync(EntityKey[] entities, IReadOnlyList<string>? features, long[] statuses, CancellationToken cancellationToken);
}

/// <summary>The engine's <see cref="FeatureReader"/> in this process.</summary>
public sealed class InProcessReadClient(FeatureReader reader, string description) : IReadClient
{
    public string Description { get; } = description;

    public async Task ReadAsync(EntityKey[] entities, IReadOnlyList<string>? features, long[] statuses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        FeatureReadResult result = await reader.ReadAsync(entities, features, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (EntityFeatures entity in result.Entities)
        {
            foreach (FeatureResult feature in entity.Features)
            {
                statuses[(int)feature.Status]++;
            }
        }
    }
}
