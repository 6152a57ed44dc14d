using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RpcStatus = Google.Rpc.Status;

namespace StreamingFeatures.Resilience;

/// <summary>
/// Every classifier of the engine's retried calls, one per kind of call: which failures a retry can cure, as
/// Google's clients for that API decide it, and the server's RetryInfo delay. RESOURCE_EXHAUSTED counts as transient
/// for Bigtable and BigQuery only with RetryInfo: without it, it is a quota that waiting does not restore.
/// </summary>
internal static class TransientErrors
{
    private const string StatusDetailsTrailer = "grpc-status-details-bin";

    /// <summary>
    /// Bigtable reads, admin and checkpoint calls, BigQuery CreateReadSession: UNAVAILABLE, DEADLINE_EXCEEDED (a
    /// stalled connection), ABORTED, RESOURCE_EXHAUSTED with RetryInfo, and INTERNAL or UNKNOWN only when the HTTP/2
    /// stream or connection was reset under the call.
    /// </summary>
    public static bool IsTransient(Exception error) => error is RpcException rpc && IsTransient(rpc);

    public static bool IsTransient(RpcException error) => error.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted => true,
        StatusCode.ResourceExhausted => RetryDelay(error) is not null,
        StatusCode.Internal or StatusCode.Unknown => IsReset(error, connection: true) || error.Status.DebugException is IOException || NeverStarted(error),
        _ => false,
    };

    /// <summary>Bigtable MutateRows, per entry and for a whole call: the codes Google's Bigtable clients retry.</summary>
    public static bool IsRetryableWrite(StatusCode code, bool hasRetryInfo) => code switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted => true,
        StatusCode.ResourceExhausted => hasRetryInfo,
        _ => false,
    };

    /// <summary>
    /// BigQuery ReadRows, resumed at its offset: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED with RetryInfo,
    /// and INTERNAL when the HTTP/2 stream was reset or ended early — as Google's BigQuery Storage clients resume.
    /// </summary>
    public static bool IsTransientRead(RpcException error) => error.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => true,
        StatusCode.ResourceExhausted => RetryDelay(error) is not null,
        StatusCode.Internal => IsReset(error, connection: false) || NeverStarted(error),
        _ => false,
    };

    /// <summary>
    /// INTERNAL from the client itself: the call never reached the server (no HTTP/2 connection could be set up,
    /// e.g. a handshake cut off during an outage). Java's gRPC reports that as UNAVAILABLE; Grpc.Net.Client as INTERNAL.
    /// </summary>
    private static bool NeverStarted(RpcException error) =>
        error.Status.Detail.StartsWith("Error starting gRPC call", StringComparison.Ordinal) && error.Status.DebugException is HttpRequestException;

    /// <summary>Pub/Sub StreamingPull: the codes after which Google's subscriber clients open the stream again.</summary>
    public static bool IsRecoverablePull(StatusCode code) => code is
        StatusCode.Aborted or StatusCode.Cancelled or StatusCode.DeadlineExceeded or StatusCode.Internal
        or StatusCode.ResourceExhausted or StatusCode.Unknown or StatusCode.Unavailable;

    /// <summary>Pub/Sub Acknowledge and ModifyAckDeadline: the codes for which Google's clients send a whole batch again.</summary>
    public static bool IsRetryableAck(StatusCode code) => code is
        StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted or StatusCode.Aborted or StatusCode.Internal or StatusCode.Unavailable;

    /// <summary>Pub/Sub Publish to the dead-letter topic: anything but a missing topic, a refused permission or a bad request.</summary>
    public static bool IsTransientPublish(RpcException error) =>
        error.StatusCode is not (StatusCode.NotFound or StatusCode.PermissionDenied or StatusCode.InvalidArgument);

    /// <summary>The server's RetryInfo delay in a failed call's trailers, when it sent one.</summary>
    public static TimeSpan? ServerDelay(Exception error) => error is RpcException rpc ? RetryDelay(rpc) : null;

    /// <summary>The RetryInfo delay in a failed call's trailers (google.rpc.Status in grpc-status-details-bin).</summary>
    public static TimeSpan? RetryDelay(RpcException exception) => RetryDelay(StatusDetails(exception));

    /// <summary>The RetryInfo delay inside a status (a MutateRows entry's, or a call's details), if any.</summary>
    public static TimeSpan? RetryDelay(RpcStatus? status)
    {
        if (status is null)
        {
            return null;
        }

        foreach (Any detail in status.Details)
        {
            if (detail.TryUnpack(out RetryInfo info) && info.RetryDelay is not null)
            {
                return info.RetryDelay.ToTimeSpan();
            }
        }

        return null;
    }

    /// <summary>The google.rpc.Status a failed call carries in its trailers, or null when absent or malformed.</summary>
    public static RpcStatus? StatusDetails(RpcException exception)
    {
        Metadata.Entry? entry = exception.Trailers.Get(StatusDetailsTrailer);
        if (entry is null || !entry.IsBinary)
        {
            return null;
        }

        try
        {
            return RpcStatus.Parser.ParseFrom(entry.ValueBytes);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return null;
        }
    }

    private static bool IsReset(RpcException error, bool connection) =>
        IsReset(error.Status.Detail, connection) || IsReset(error.InnerException?.Message, connection);

    /// <summary>A reset or truncated HTTP/2 stream; with <paramref name="connection"/>, a reset connection too.</summary>
    private static bool IsReset(string? message, bool connection) => message is not null
        && (message.Contains("RST_STREAM", StringComparison.OrdinalIgnoreCase)
            || message.Contains("reset the stream", StringComparison.OrdinalIgnoreCase)
            || message.Contains("unexpected EOS", StringComparison.OrdinalIgnoreCase)
            || (connection && (message.Contains("Connection reset", StringComparison.OrdinalIgnoreCase)
                || message.Contains("response ended prematurely", StringComparison.OrdinalIgnoreCase))));
}
