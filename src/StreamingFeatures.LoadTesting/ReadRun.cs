namespace StreamingFeatures.LoadTesting;

/// <summary>
/// The read workload's figures: requests planned and answered, keys asked for, features answered by status, failed
/// requests by code, and latency from each request's planned start (so queueing behind a slow reader shows).
/// </summary>
public sealed record ReadRun
{
    /// <summary>Where the reads went: the feature reader in process, or a serve endpoint.</summary>
    public required string Reader { get; init; }

    /// <summary>The writes ran at the same time (a mixed profile), not before.</summary>
    public required bool DuringWrites { get; init; }

    public required int BatchSize { get; init; }

    public required long PlannedRequests { get; init; }

    /// <summary>Requests answered.</summary>
    public required long Requests { get; init; }

    /// <summary>Requests that failed after the reader's retries.</summary>
    public required long FailedRequests { get; init; }

    /// <summary>Requests planned but never finished (the run was stopped).</summary>
    public long UnfinishedRequests => PlannedRequests - Requests - FailedRequests;

    /// <summary>Entity keys of the answered requests (requests × batch size).</summary>
    public required long Keys { get; init; }

    public required double DurationSeconds { get; init; }

    public required double RequestsPerSecond { get; init; }

    public required double KeysPerSecond { get; init; }

    /// <summary>Latency of answered requests, from the planned start to the answer.</summary>
    public required LatencyFigures LatencyMs { get; init; }

    /// <summary>Features answered, by status (PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE).</summary>
    public required IReadOnlyDictionary<string, long> Statuses { get; init; }

    /// <summary>Failed requests by error code (a gRPC status, or the exception's type).</summary>
    public required IReadOnlyDictionary<string, long> Errors { get; init; }
}
