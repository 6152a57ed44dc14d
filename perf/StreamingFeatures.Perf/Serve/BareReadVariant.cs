using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Serving;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.Perf.Serve;

/// <summary>
/// The floor: the raw generated Bigtable client sending pre-built ReadRowsRequests (the batch's keys sorted and
/// deduplicated into one RowSet, FeatureReader's own filter chain from <see cref="ReadFilter"/>, the same as-of time);
/// every response read to its end, rows counted by their committed chunks, nothing decoded.
/// </summary>
internal sealed class BareReadVariant : IReadVariant
{
    private readonly BigtableClient _client;
    private readonly Dictionary<ServeKeys, ReadRowsRequest[]> _requests = [];

    public BareReadVariant(GrpcChannel channel, FeatureReader reader, string tableName, RowFilter filter, IEnumerable<ServeKeys> keySets)
    {
        _client = new BigtableClient(channel);
        foreach (ServeKeys keys in keySets)
        {
            _requests[keys] = [.. keys.Batches.Select(batch => Request(reader, tableName, filter, batch))];
        }
    }

    public string Name => "bareReadRows";

    public bool CountsDistinct => true;

    public async Task<int> ReadAsync(ServeKeys keys, int batch, CancellationToken cancellationToken)
    {
        int rows = 0;
        using AsyncServerStreamingCall<ReadRowsResponse> call = _client.ReadRows(_requests[keys][batch], cancellationToken: cancellationToken);
        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            foreach (ReadRowsResponse.Types.CellChunk chunk in call.ResponseStream.Current.Chunks)
            {
                rows += chunk.CommitRow ? 1 : 0;
            }
        }

        return rows;
    }

    private static ReadRowsRequest Request(FeatureReader reader, string tableName, RowFilter filter, string[] batch)
    {
        ByteString[] keys = [.. batch.Distinct(StringComparer.Ordinal).Select(id => reader.RowKeyOf(new EntityKey(id)))];
        Array.Sort(keys, static (a, b) => a.Span.SequenceCompareTo(b.Span));
        var rowSet = new RowSet();
        rowSet.RowKeys.Add(keys);
        return new ReadRowsRequest { TableName = tableName, Rows = rowSet, Filter = filter };
    }
}
