using System.Threading.Tasks.Dataflow;
using Grpc.Core;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// Pub/Sub events as source rows, over StreamingPull: one JSON event per message (fields, then attributes, by the
/// feature set's column names). Each stream is a partition whose offsets number its messages in arrival order. A
/// message is acked only when the pipeline reports its row done (<see cref="IRowCompletion"/>); leases are extended
/// while it waits; poison messages go to the dead-letter topic and are then acked (nacked if that publish fails).
/// </summary>
/// <remarks>
/// Usage: create, pass as the pipeline's source and as its <c>completion</c>, use <see cref="DeadLetters"/> as the
/// pipeline's dead-letter sink, run the pipeline (a stop request stops pulling), then <see cref="CloseAsync"/> to
/// send the last acks and nack what was not written.
/// </remarks>
public sealed class PubSubSource : IRowSource, IRowCompletion, IAsyncDisposable
{
    private PubSubSource(SourceSchema schema, string description)
    {
        Schema = schema;
        Description = description;
    }

    public SourceSchema Schema { get; }

    public string Description { get; }

    public long? ExpectedRows => null;

    /// <summary>Dead letters of this source's rows: published to the dead-letter topic, then the message is acked.</summary>
    public IDeadLetterSink DeadLetters => throw new NotImplementedException();

    /// <summary>What the source is doing now, for readiness probes and logs.</summary>
    public PubSubSourceStatus Status => throw new NotImplementedException();

    /// <summary>
    /// Publish time → row written (acked) of the messages acked since the last call; resets. The same latencies go
    /// to the <c>streamingfeatures.pubsub.freshness</c> histogram.
    /// </summary>
    public LatencySummary TakeFreshnessSummary() => throw new NotImplementedException();

    /// <summary>
    /// Validates the options and derives the schema from the feature set (entity key, event time and feature
    /// columns, typed as the features are). Opens nothing yet.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid, every problem named.</exception>
    public static PubSubSource Create(CallInvoker pubSub, PubSubSourceOptions options, FeatureSetOptions featureSet, PipelineMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(pubSub);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(featureSet);
        options.Validate();
        throw new NotImplementedException();
    }

    /// <summary>Pulls until <paramref name="cancellationToken"/> asks to stop; broken streams reconnect with backoff.</summary>
    public Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Acks the messages whose rows are done (or nacks those whose dead-letter publish failed).</summary>
    public void Complete(IReadOnlyList<SourceRange> ranges) => throw new NotImplementedException();

    /// <summary>
    /// After the pipeline has finished: sends the acks still queued, nacks every message not done (so Pub/Sub
    /// redelivers it at once), and waits for both within <paramref name="timeout"/>.
    /// </summary>
    public Task CloseAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
