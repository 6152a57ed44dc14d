using StreamingFeatures.Pipeline;

namespace StreamingFeatures.Jobs;

/// <summary>Why an ingest job's graph ended.</summary>
internal enum IngestOutcome
{
    /// <summary>A stop was asked for; in-flight rows drained.</summary>
    Stopped,

    /// <summary>The source ended by itself, which a subscription never should: the host is restarted.</summary>
    SourceEnded,

    /// <summary>A fatal fault stopped the graph; <see cref="IngestJobResult.Fault"/> says why.</summary>
    Faulted,
}

/// <summary>
/// How an ingest job ended, and whether its last acks and nacks went out: a close failure means some were not sent,
/// and those messages are redelivered when their leases lapse.
/// </summary>
internal sealed record IngestJobResult(IngestOutcome Outcome, PipelineException? Fault, Exception? CloseFailure)
{
    public bool Succeeded => Outcome == IngestOutcome.Stopped && CloseFailure is null;
}
