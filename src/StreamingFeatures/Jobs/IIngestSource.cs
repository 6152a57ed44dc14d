using StreamingFeatures.DeadLetters;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Jobs;

/// <summary>
/// What an ingest job needs of its source: rows for the graph, completions back (acks), dead letters, a status for
/// readiness and logs, freshness, and a close that acks what was written and nacks the rest. <see cref="PubSubSource"/>
/// in production; tests give the job a fake to stop, fault and close on demand.
/// </summary>
internal interface IIngestSource : IRowSource, IRowCompletion, IAsyncDisposable
{
    IDeadLetterSink DeadLetters { get; }

    PubSubSourceStatus Status { get; }

    LatencySummary TakeFreshnessSummary();

    Task CloseAsync(TimeSpan timeout, CancellationToken cancellationToken = default);
}
