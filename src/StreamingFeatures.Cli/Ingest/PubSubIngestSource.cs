using System.Threading.Tasks.Dataflow;
using Microsoft.Extensions.Logging;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Jobs;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>The production source: <see cref="PubSubSource"/>, as the service sees it.</summary>
internal sealed partial class PubSubIngestSource(PubSubSource source) : IIngestSource
{
    public SourceSchema Schema => source.Schema;

    public string Description => source.Description;

    public long? ExpectedRows => source.ExpectedRows;

    public IDeadLetterSink DeadLetters => source.DeadLetters;

    public PubSubSourceStatus Status => source.Status;

    /// <summary>The service's source factory: validates the options, opens nothing; the source logs through <paramref name="logger"/>.</summary>
    public static IngestSourceFactory Factory(ILogger logger) => (pubSub, options, featureSet, metrics) =>
    {
        PubSubSource source = PubSubSource.Create(pubSub, options, featureSet, metrics);
        source.Log = message => LogSource(logger, message);
        return new PubSubIngestSource(source);
    };

    public LatencySummary TakeFreshnessSummary() => source.TakeFreshnessSummary();

    public Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken) => source.RunAsync(target, cancellationToken);

    public void Complete(IReadOnlyList<SourceRange> ranges) => source.Complete(ranges);

    public Task CloseAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => source.CloseAsync(timeout, cancellationToken);

    public ValueTask DisposeAsync() => source.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void LogSource(ILogger logger, string message);
}
