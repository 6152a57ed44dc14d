using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Google.Cloud.BigQuery.Storage.V1;
using Google.Protobuf;
using Grpc.Core;

namespace StreamingFeatures.IntegrationTests.BigQuery;

/// <summary>
/// Reads streams as Google's client samples do: each record batch decoded by an Arrow stream reader over the
/// session's serialized schema followed by the response's serialized batch, compressed buffers (LZ4_FRAME, ZSTD)
/// decompressed by Apache.Arrow.Compression as pyarrow does for Google's Python client. Rows come back as boxed values
/// (long for INT64 and TIMESTAMP microseconds, double, bool, string, byte[]) for easy comparison.
/// </summary>
internal static class ArrowReads
{
    public static readonly CompressionCodecFactory Codecs = new();

    /// <summary>Decodes one batch; without <paramref name="codecs"/> a compressed batch fails, as in a reader built without them.</summary>
    public static (Schema Schema, RecordBatch Batch) Decode(ByteString schema, ByteString batch, ICompressionCodecFactory? codecs = null)
    {
        byte[] bytes = new byte[schema.Length + batch.Length];
        schema.CopyTo(bytes, 0);
        batch.CopyTo(bytes, schema.Length);
        var reader = new ArrowStreamReader(new MemoryStream(bytes), codecs);
        RecordBatch decoded = reader.ReadNextRecordBatch() ?? throw new InvalidDataException("No record batch in the response.");
        return (reader.Schema, decoded);
    }

    public static Schema DecodeSchema(ByteString schema) => new ArrowStreamReader(new MemoryStream(schema.ToByteArray())).Schema;

    /// <summary>Reads <paramref name="stream"/> from <paramref name="offset"/> to its end, adding each row to <paramref name="rows"/> as it arrives.</summary>
    public static async Task<List<ReadRowsResponse>> ReadAsync(
        BigQueryRead.BigQueryReadClient client, ReadSession session, string stream, long offset, List<object?[]> rows, CancellationToken cancellationToken)
    {
        var responses = new List<ReadRowsResponse>();
        using AsyncServerStreamingCall<ReadRowsResponse> call = client.ReadRows(new ReadRowsRequest { ReadStream = stream, Offset = offset }, cancellationToken: cancellationToken);
        await foreach (ReadRowsResponse response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            responses.Add(response);
            (_, RecordBatch batch) = Decode(session.ArrowSchema.SerializedSchema, response.ArrowRecordBatch.SerializedRecordBatch, Codecs);
            Assert.AreEqual(response.RowCount, batch.Length, "row_count differs from the rows in the batch");
            for (int i = 0; i < batch.Length; i++)
            {
                rows.Add([.. Enumerable.Range(0, batch.ColumnCount).Select(c => Value(batch.Column(c), i))]);
            }
        }

        return responses;
    }

    public static object? Value(IArrowArray array, int index) => array.IsNull(index) ? null : array switch
    {
        Int64Array longs => longs.GetValue(index),
        TimestampArray times => times.GetValue(index),
        DoubleArray doubles => doubles.GetValue(index),
        BooleanArray bools => bools.GetValue(index),
        StringArray strings => strings.GetString(index),
        BinaryArray bytes => bytes.GetBytes(index).ToArray(),
        _ => throw new NotSupportedException(array.GetType().Name),
    };
}
