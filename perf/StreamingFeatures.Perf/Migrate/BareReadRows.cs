using Google.Cloud.Bigtable.V2;
using Grpc.Core;
using Grpc.Net.Client;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.Perf.Migrate;

/// <summary>
/// The floor of a full read-back: the generated Bigtable client reading the written keys back, one ReadRows per
/// row-key set of the read-back's size, as many in flight as the read-back, every response read to its end; rows
/// are counted by their committed chunks.
/// </summary>
internal static class BareReadRows
{
    /// <summary>One request per MutateRows request, with its keys (the writer's batch equals the read-back's here).</summary>
    public static ReadRowsRequest[] Build(MutateRowsRequest[] written, string tableName, int keysPerRequest)
    {
        var requests = new List<ReadRowsRequest>();
        ReadRowsRequest? current = null;
        foreach (MutateRowsRequest.Types.Entry entry in written.SelectMany(r => r.Entries))
        {
            if (current is null || current.Rows.RowKeys.Count == keysPerRequest)
            {
                current = new ReadRowsRequest { TableName = tableName, Rows = new RowSet() };
                requests.Add(current);
            }

            current.Rows.RowKeys.Add(entry.RowKey);
        }

        return [.. requests];
    }

    /// <summary>Sends every request with <paramref name="concurrency"/> in flight; returns the rows read.</summary>
    public static async Task<long> RunAsync(GrpcChannel channel, ReadRowsRequest[] requests, int concurrency)
    {
        var client = new BigtableClient(channel);
        int next = -1;
        long rows = 0;

        async Task WorkerAsync()
        {
            long counted = 0;
            for (int i = Interlocked.Increment(ref next); i < requests.Length; i = Interlocked.Increment(ref next))
            {
                using AsyncServerStreamingCall<ReadRowsResponse> call = client.ReadRows(requests[i]);
                while (await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
                {
                    foreach (ReadRowsResponse.Types.CellChunk chunk in call.ResponseStream.Current.Chunks)
                    {
                        counted += chunk.CommitRow ? 1 : 0;
                    }
                }
            }

            Interlocked.Add(ref rows, counted);
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkerAsync))).ConfigureAwait(false);
        return rows;
    }
}
