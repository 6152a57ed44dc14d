using Google.Cloud.Bigtable.V2;
using Grpc.Core;
using StreamingFeatures.Resilience;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.Bigtable;

/// <summary>One attempt at reading the one row a bookkeeping request asks for (a checkpoint, a shard plan), merged from its chunks.</summary>
internal static class SingleRowRead
{
    /// <summary>The row, or null when absent (the last one, should the request match several).</summary>
    public static async Task<Row?> ReadAsync(BigtableTarget target, ReadRowsRequest request, Attempt attempt)
    {
        var merger = new ReadRowsMerger();
        Row? last = null;
        using AsyncServerStreamingCall<ReadRowsResponse> call = new BigtableClient(target.Invoker).ReadRows(
            request, target.RequestParams, attempt.Deadline, attempt.CancellationToken);
        while (await call.ResponseStream.MoveNext(attempt.CancellationToken).ConfigureAwait(false))
        {
            foreach (Row row in merger.Add(call.ResponseStream.Current))
            {
                last = row;
            }
        }

        merger.Complete();
        return last;
    }
}
