using StreamingFeatures.Bigtable;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Jobs;

/// <summary>Everything an ingest job is told: how it pulls, the graph's bounds, its table, and how long the close may take.</summary>
internal sealed record IngestJobOptions
{
    public PubSubSourceOptions Source { get; init; } = new();

    public PipelineOptions Pipeline { get; init; } = new();

    public TableProvisioning Provisioning { get; init; } = TableProvisioning.Create;

    /// <summary>After the graph has stopped, how long the last acks and the nacks may take. Default 6 s.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(6);
}
