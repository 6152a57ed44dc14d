using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RpcStatus = Google.Rpc.Status;

namespace StreamingFeatures.Bigtable;

/// <summary>Sorts Bigtable answers into delivered, transient (retry) and permanent (dead letter), and reads RetryInfo.</summary>
internal static class WriteStatus
{
    private const string StatusDetailsTrailer = "grpc-status-details-bin";

    /// <summary>
    /// The codes Google's Bigtable clients retry for MutateRows. RESOURCE_EXHAUSTED only with RetryInfo: without it,
    /// it usually means a quota that waiting does not restore.
    /// </summary>
    public static bool IsRetryable(StatusCode code, bool hasRetryInfo) => code switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted => true,
        StatusCode.ResourceExhausted => hasRetryInfo,
        _ => false,
    };

    /// <summary>The RetryInfo delay inside a per-entry status, if any.</summary>
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

    /// <summary>The RetryInfo delay in a failed call's trailers (google.rpc.Status in grpc-status-details-bin).</summary>
    public static TimeSpan? RetryDelay(RpcException exception)
    {
        Metadata.Entry? entry = exception.Trailers.Get(StatusDetailsTrailer);
        if (entry is null || !entry.IsBinary)
        {
            return null;
        }

        try
        {
            return RetryDelay(RpcStatus.Parser.ParseFrom(entry.ValueBytes));
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
