using Avro;
using Avro.Generic;
using Avro.IO;
using Google.Cloud.BigQuery.Storage.V1;
using Grpc.Core;
using AvroSchema = Avro.Schema;

namespace StreamingFeatures.IntegrationTests.BigQuery;

/// <summary>
/// Reads Avro streams as a client of the real service would: each response's <c>serialized_binary_rows</c> decoded
/// by Apache.Avro's GenericDatumReader against the session's schema, exactly <c>row_count</c> records and no byte
/// left over. Rows come back as boxed values in the forms <see cref="ArrowReads"/> gives (long for INT64 and TIMESTAMP
/// microseconds, double, bool, string, byte[]), DATE as <see cref="DateOnly"/> and NUMERIC as <see cref="AvroDecimal"/>.
/// </summary>
internal static class AvroReads
{
    public static RecordSchema Schema(ReadSession session) => (RecordSchema)AvroSchema.Parse(session.AvroSchema.Schema);

    /// <summary>The records of one response's block, normalised as described above.</summary>
    public static List<object?[]> Decode(RecordSchema schema, ReadRowsResponse response)
    {
        using var stream = new MemoryStream(response.AvroRows.SerializedBinaryRows.ToByteArray());
        var decoder = new BinaryDecoder(stream);
        var reader = new GenericDatumReader<GenericRecord>(schema, schema);
        var rows = new List<object?[]>();
        for (long i = 0; i < response.RowCount; i++)
        {
            GenericRecord record = reader.Read(null!, decoder);
            rows.Add([.. schema.Fields.Select(f => Normalise(f.Schema, record.GetValue(f.Pos)))]);
        }

        Assert.AreEqual(stream.Length, stream.Position, "the block holds exactly row_count records");
        return rows;
    }

    /// <summary>Reads <paramref name="stream"/> from <paramref name="offset"/> to its end, adding each row to <paramref name="rows"/>.</summary>
    public static async Task<List<ReadRowsResponse>> ReadAsync(
        BigQueryRead.BigQueryReadClient client, ReadSession session, string stream, long offset, List<object?[]> rows, CancellationToken cancellationToken)
    {
        RecordSchema schema = Schema(session);
        var responses = new List<ReadRowsResponse>();
        using AsyncServerStreamingCall<ReadRowsResponse> call = client.ReadRows(new ReadRowsRequest { ReadStream = stream, Offset = offset }, cancellationToken: cancellationToken);
        await foreach (ReadRowsResponse response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            Assert.IsNull(response.ArrowRecordBatch, "an Avro session sends no Arrow");
            responses.Add(response);
            rows.AddRange(Decode(schema, response));
        }

        return responses;
    }

    private static object? Normalise(AvroSchema schema, object? value)
    {
        if (value is null)
        {
            return null;
        }

        AvroSchema type = schema is UnionSchema union ? union.Schemas.Single(s => s.Tag != AvroSchema.Type.Null) : schema;
        return type switch
        {
            LogicalSchema { LogicalTypeName: "timestamp-micros" } => ((DateTime)value - DateTime.UnixEpoch).Ticks / 10,
            LogicalSchema { LogicalTypeName: "date" } => DateOnly.FromDateTime((DateTime)value),
            _ => value,
        };
    }
}
