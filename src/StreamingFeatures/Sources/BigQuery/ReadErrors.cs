using Grpc.Core;
using StreamingFeatures.Bigtable;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>Sorts failed BigQuery Storage calls into transient (retry after a delay) and permanent (null).</summary>
internal static class ReadErrors
{
    /// <summary>The wait before attempt <paramref name="attempt"/> + 1, or null when the error is permanent.</summary>
    public static TimeSpan? RetryDelay(RpcException error, int attempt, BigQuerySourceOptions options)
    {
        if (error.StatusCode == StatusCode.ResourceExhausted)
        {
            // Without RetryInfo it is a quota that waiting does not restore.
            return WriteStatus.RetryDelay(error);
        }

        return IsTransient(error) ? Backoff(attempt, options) : null;
    }

    /// <summary>
    /// The errors Google's BigQuery Storage clients resume a ReadRows stream after: UNAVAILABLE, DEADLINE_EXCEEDED,
    /// and INTERNAL when the HTTP/2 stream was reset or ended early.
    /// </summary>
    public static bool IsTransient(RpcException error) => error.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => true,
        StatusCode.Internal => IsReset(error.Status.Detail) || IsReset(error.InnerException?.Message),
        _ => false,
    };

    private static bool IsReset(string? message) => message is not null
        && (message.Contains("RST_STREAM", StringComparison.OrdinalIgnoreCase)
            || message.Contains("reset the stream", StringComparison.OrdinalIgnoreCase)
            || message.Contains("unexpected EOS", StringComparison.OrdinalIgnoreCase));

    private static TimeSpan Backoff(int attempt, BigQuerySourceOptions options)
    {
        double ticks = options.InitialBackoff.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(ticks, options.MaxBackoff.Ticks));
    }
}
