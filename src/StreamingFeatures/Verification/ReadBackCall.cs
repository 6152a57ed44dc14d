using Google.Cloud.Bigtable.V2;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Verification;

/// <summary>One attempt at reading rows back into a digester, raw (no Row objects): a migration's read-back and verify share it.</summary>
internal static class ReadBackCall
{
    /// <summary>Starts <paramref name="digester"/> over on each attempt, so a retry digests every row afresh.</summary>
    public static async Task ReadAsync(BigtableTarget target, ReadRowsRequest request, IReadOnlyList<ReadBackJob.PendingRow> keys, ReadRowsDigester digester, Attempt attempt)
    {
        digester.Start(keys);
        using AsyncServerStreamingCall<ReadRowsRawMethod.RawResponse> call = target.Invoker.AsyncServerStreamingCall(
            ReadRowsRawMethod.Method, null, new CallOptions(target.RequestParams, attempt.Deadline, attempt.CancellationToken), request);
        while (await call.ResponseStream.MoveNext(attempt.CancellationToken).ConfigureAwait(false))
        {
            using ReadRowsRawMethod.RawResponse response = call.ResponseStream.Current;
            digester.Add(response.Span);
        }

        digester.Complete();
    }
}
