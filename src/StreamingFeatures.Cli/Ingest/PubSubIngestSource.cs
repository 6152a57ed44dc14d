using System.Threading.Tasks.Dataflow;
using Grpc.Core;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>The production source: <see cref="PubSubSource"/>, as the service sees it.</summary>
internal sealed class PubSubIngestSource(PubSubSource source) : IIngestSource
{
    public SourceSchema Schema => source.Schema;

    public string Description => source.Description;

    public long? ExpectedRows => source.ExpectedRows;

    public IDeadLetterSink DeadLetters => source.DeadLetters;

    public PubSubSourceStatus Status => source.Status;

    /// <summary>The service's source factory: validates the options, opens nothing.</summary>
    public static IIngestSource Create(CallInvoker pubSub, IngestSettings settings, FeatureSetOptions featureSet, PipelineMetrics metrics) =>
        new PubSubIngestSource(PubSubSource.Create(pubSub, settings.SourceOptions(), featureSet, metrics));

    public LatencySummary TakeFreshnessSummary() => source.TakeFreshnessSummary();

    public Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken) => source.RunAsync(target, cancellationToken);

    public void Complete(IReadOnlyList<SourceRange> ranges) => source.Complete(ranges);

    public Task CloseAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => source.CloseAsync(timeout, cancellationToken);

    public ValueTask DisposeAsync() => source.DisposeAsync();
}
