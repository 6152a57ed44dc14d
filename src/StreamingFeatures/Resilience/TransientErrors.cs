using Grpc.Core;
using StreamingFeatures.Bigtable;

namespace StreamingFeatures.Resilience;

/// <summary>
/// The classifier of Google Cloud calls (Bigtable data and admin, BigQuery Storage): which failures a retry can
/// cure. A connection that cannot be made or breaks (UNAVAILABLE), an attempt past its deadline (a stalled
/// connection), ABORTED, RESOURCE_EXHAUSTED only with RetryInfo (without it, a quota that waiting does not restore),
/// and INTERNAL only when the HTTP/2 stream or connection was reset under the call.
/// </summary>
internal static class TransientErrors
{
    public static bool IsTransient(Exception error) => error is RpcException rpc && IsTransient(rpc);

    public static bool IsTransient(RpcException error) => error.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted => true,
        StatusCode.ResourceExhausted => WriteStatus.RetryDelay(error) is not null,
        StatusCode.Internal or StatusCode.Unknown => IsReset(error.Status.Detail) || IsReset(error.InnerException?.Message) || error.Status.DebugException is IOException,
        _ => false,
    };

    /// <summary>The server's RetryInfo delay, when it sent one.</summary>
    public static TimeSpan? ServerDelay(Exception error) => error is RpcException rpc ? WriteStatus.RetryDelay(rpc) : null;

    private static bool IsReset(string? message) => message is not null
        && (message.Contains("RST_STREAM", StringComparison.OrdinalIgnoreCase)
            || message.Contains("reset the stream", StringComparison.OrdinalIgnoreCase)
            || message.Contains("unexpected EOS", StringComparison.OrdinalIgnoreCase)
            || message.Contains("Connection reset", StringComparison.OrdinalIgnoreCase)
            || message.Contains("response ended prematurely", StringComparison.OrdinalIgnoreCase));
}
