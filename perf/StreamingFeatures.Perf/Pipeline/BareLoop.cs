using System.Text;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Keys;
using StreamingFeatures.Sources.Synthetic;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.Perf.Pipeline;

/// <summary>
/// The ceiling a client can reach on this machine: the generated Bigtable client sending MutateRows requests that
/// were all built before the clock starts, with the same rows, rows per request and requests in flight as the
/// pipeline. What it spends is gRPC and protobuf serialisation alone.
/// </summary>
internal static class BareLoop
{
    /// <summary>
    /// Builds the requests for rows <c>[first, first + rows)</c> of <paramref name="source"/> exactly as the pipeline
    /// writes them: same keys, one SetCell per feature with the event time's millisecond as the cell timestamp.
    /// Family names and qualifiers are shared, values get one ByteString each, as a careful client would do.
    /// </summary>
    public static MutateRowsRequest[] Build(SyntheticSource source, string tableName, RowKeyFormat keys, int features, long first, long rows, int rowsPerRequest)
    {
        ByteString[] qualifiers = [.. Enumerable.Range(0, features).Select(f => ByteString.CopyFromUtf8(SyntheticSource.FeatureName(f)))];
        byte[] key = new byte[RowKeyFormat.MaxKeyBytes];
        byte[] value = new byte[CellEncoding.Int64Size];
        var requests = new MutateRowsRequest[(rows + rowsPerRequest - 1) / rowsPerRequest];
        for (int r = 0; r < requests.Length; r++)
        {
            var request = new MutateRowsRequest { TableName = tableName };
            long start = first + ((long)r * rowsPerRequest);
            long end = Math.Min(first + rows, start + rowsPerRequest);
            for (long row = start; row < end; row++)
            {
                byte[] entity = Encoding.UTF8.GetBytes(SyntheticSource.EntityId(source.EntityOf(row)));
                int keyLength = keys.Write(entity, source.EventTimeMicros(row), key, out _);
                long timestamp = CellEncoding.CellTimestampMicros(source.EventTimeMicros(row));
                var entry = new MutateRowsRequest.Types.Entry { RowKey = ByteString.CopyFrom(key, 0, keyLength) };
                for (int f = 0; f < features; f++)
                {
                    CellEncoding.WriteInt64(value, source.Int64Value(row, f));
                    entry.Mutations.Add(new Mutation
                    {
                        SetCell = new Mutation.Types.SetCell
                        {
                            FamilyName = SyntheticSource.Family,
                            ColumnQualifier = qualifiers[f],
                            TimestampMicros = timestamp,
                            Value = ByteString.CopyFrom(value),
                        },
                    });
                }

                request.Entries.Add(entry);
            }

            requests[r] = request;
        }

        return requests;
    }

    /// <summary>
    /// Sends every request with <paramref name="concurrency"/> in flight and reads every response to its end.
    /// Returns the entries the server did not answer OK (expected 0).
    /// </summary>
    public static async Task<long> RunAsync(GrpcChannel channel, MutateRowsRequest[] requests, int concurrency)
    {
        var client = new BigtableClient(channel);
        int next = -1;
        long failed = 0;

        async Task WorkerAsync()
        {
            for (int i = Interlocked.Increment(ref next); i < requests.Length; i = Interlocked.Increment(ref next))
            {
                int answered = 0;
                using AsyncServerStreamingCall<MutateRowsResponse> call = client.MutateRows(requests[i]);
                while (await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
                {
                    foreach (MutateRowsResponse.Types.Entry entry in call.ResponseStream.Current.Entries)
                    {
                        answered++;
                        if (entry.Status is { Code: not 0 })
                        {
                            Interlocked.Increment(ref failed);
                        }
                    }
                }

                Interlocked.Add(ref failed, requests[i].Entries.Count - answered);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkerAsync))).ConfigureAwait(false);
        return failed;
    }
}
