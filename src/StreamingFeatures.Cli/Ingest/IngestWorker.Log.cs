using Microsoft.Extensions.Logging;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>The worker's log events (structured: every value is a field of the JSON line).</summary>
internal sealed partial class IngestWorker
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Ingesting {Subscription} into {Table}, keys {Keys}, dead letters to {DeadLetterTopic}")]
    private static partial void Started(ILogger logger, string subscription, string table, string keys, string deadLetterTopic);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Created {Table} (or its missing column families)")]
    private static partial void TableCreated(ILogger logger, string table);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Stopping: pulling stopped; in-flight rows drain for up to {DrainSeconds:0.#} s, then acks and nacks for up to {CloseSeconds:0.#} s")]
    private static partial void Stopping(ILogger logger, double drainSeconds, double closeSeconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Stopped with exit code {ExitCode}")]
    private static partial void Stopped(ILogger logger, int exitCode);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "--duration {Seconds:0.#} s has elapsed: stopping")]
    private static partial void DurationElapsed(ILogger logger, double seconds);

    [LoggerMessage(EventId = 20, Level = LogLevel.Critical, Message = "Fatal pipeline fault; outstanding messages are nacked and the service stops: {Reason}")]
    private static partial void Fault(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 21, Level = LogLevel.Critical, Message = "The Pub/Sub source ended by itself; the service stops so it is restarted")]
    private static partial void SourceEnded(ILogger logger);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "The last acks and nacks were not all sent: {Reason}; Pub/Sub redelivers those messages when their leases lapse")]
    private static partial void CloseFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 23, Level = LogLevel.Critical, Message = "Bad configuration, nothing was pulled: {Reason}")]
    private static partial void BadInput(ILogger logger, string reason);

    [LoggerMessage(EventId = 24, Level = LogLevel.Critical, Message = "The service failed: {Reason}")]
    private static partial void Failed(ILogger logger, string reason, Exception exception);
}
