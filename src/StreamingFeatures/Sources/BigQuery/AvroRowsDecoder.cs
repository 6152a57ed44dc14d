using System.Runtime.InteropServices;
using Avro.IO;
using Google.Cloud.BigQuery.Storage.V1;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// Decodes ReadRows Avro blocks (records back to back, binary encoding, no container header or sync markers) straight
/// into the engine's column arrays with Avro's <see cref="BinaryDecoder"/> primitives: no record objects, no boxing,
/// strings and bytes copied into one buffer per column as Arrow lays them out.
/// </summary>
internal sealed class AvroRowsDecoder(AvroSessionSchema schema) : IReadRowsDecoder
{
    public SourceChunk Decode(int partition, long firstOffset, ReadRowsResponse response)
    {
        if (response.AvroRows is null)
        {
            throw new InvalidDataException($"The response says {response.RowCount} rows but holds no Avro rows (is the session in Avro format?).");
        }

        int count = checked((int)response.RowCount);
        ReadOnlyMemory<byte> block = response.AvroRows.SerializedBinaryRows.Memory;
        using MemoryStream stream = MemoryMarshal.TryGetArray(block, out ArraySegment<byte> segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(block.ToArray(), writable: false);
        var decoder = new BinaryDecoder(stream);
        IReadOnlyList<AvroFieldReader> fields = schema.Fields;
        var columns = new AvroColumnBuilder[fields.Count];
        for (int c = 0; c < columns.Length; c++)
        {
            columns[c] = new AvroColumnBuilder(fields[c], count);
        }

        int row = 0;
        try
        {
            for (; row < count; row++)
            {
                for (int c = 0; c < columns.Length; c++)
                {
                    columns[c].Read(decoder, row);
                }
            }
        }
        catch (Avro.AvroException e)
        {
            // Avro reports a block cut short as "End of stream reached".
            throw new InvalidDataException($"Row {row} of the {count} rows the response says its Avro block holds does not decode: {e.Message}", e);
        }

        if (stream.Position != stream.Length)
        {
            throw new InvalidDataException($"The Avro block holds {stream.Length - stream.Position} bytes after the {count} rows the response says it holds.");
        }

        var vectors = new ColumnVector[columns.Length];
        for (int c = 0; c < vectors.Length; c++)
        {
            vectors[c] = columns[c].Build(count);
        }

        return new SourceChunk(partition, firstOffset, count, vectors);
    }
}
