using Grpc.Core;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Cli.Serve;

/// <summary>
/// What a failed read answers: the caller's mistakes INVALID_ARGUMENT with the reader's message, Bigtable down past
/// the retries UNAVAILABLE (REST 503), a passed deadline DEADLINE_EXCEEDED (REST 504).
/// </summary>
internal static class ServeErrors
{
    public static RpcException UnknownFeatureSet(string name, IReadOnlyList<string> served) =>
        new(new Status(StatusCode.NotFound, $"feature_set is '{name}', which this server does not serve; it serves: {string.Join(", ", served)}."));

    /// <summary>The status for <paramref name="exception"/> from a read of <paramref name="featureSet"/>; null for one to let through.</summary>
    /// <param name="exception">What the read threw.</param>
    /// <param name="featureSet">The feature set read.</param>
    /// <param name="deadline">The caller's deadline (UTC; <see cref="DateTime.MaxValue"/> when none).</param>
    /// <param name="now">The current UTC time.</param>
    public static RpcException? ToRpc(Exception exception, string featureSet, DateTime deadline, DateTime now) => exception switch
    {
        RpcException { StatusCode: StatusCode.Unavailable } e => Rpc(StatusCode.Unavailable, $"Bigtable is unavailable for feature set '{featureSet}': {e.Status.Detail}"),
        RpcException { StatusCode: StatusCode.DeadlineExceeded } e => Rpc(StatusCode.DeadlineExceeded, $"Bigtable passed the deadline reading feature set '{featureSet}': {e.Status.Detail}"),
        RpcException { StatusCode: StatusCode.NotFound } e => Rpc(StatusCode.FailedPrecondition, $"Bigtable has no table '{featureSet}' for the feature set: {e.Status.Detail}"),
        // The reader reads a stream the server reset again, so a CANCELLED that reaches here is the caller's own.
        RpcException { StatusCode: StatusCode.Cancelled } when now >= deadline => Rpc(StatusCode.DeadlineExceeded, $"The read of feature set '{featureSet}' passed the caller's deadline."),
        RpcException { StatusCode: StatusCode.Cancelled } => Rpc(StatusCode.Cancelled, $"The caller cancelled the read of feature set '{featureSet}'."),
        RpcException e => Rpc(StatusCode.Internal, $"Bigtable refused the read of feature set '{featureSet}': {e.StatusCode}: {e.Status.Detail}"),
        ArgumentException e => Rpc(StatusCode.InvalidArgument, e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : e.Message),
        TimeoutException e => Rpc(StatusCode.DeadlineExceeded, e.Message),
        CallGaveUpException e => Rpc(StatusCode.Unavailable, e.Message),
        OperationCanceledException when now >= deadline => Rpc(StatusCode.DeadlineExceeded, $"The read of feature set '{featureSet}' passed the caller's deadline."),
        OperationCanceledException => Rpc(StatusCode.Cancelled, $"The caller cancelled the read of feature set '{featureSet}'."),
        InvalidDataException e => Rpc(StatusCode.DataLoss, e.Message),
        _ => null,
    };

    private static RpcException Rpc(StatusCode code, string detail) => new(new Status(code, detail));
}
