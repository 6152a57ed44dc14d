using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Google.Cloud.BigQuery.Storage.V1;
using Google.Protobuf;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// Decodes ReadRows record batches into the engine's column arrays: fixed-width values copied span to span, strings
/// and bytes as Arrow offsets and data (no string per value, no boxing); compressed buffers decompressed first.
/// </summary>
internal sealed class ArrowBatchDecoder(ByteString serializedSchema, SourceSchema schema) : IReadRowsDecoder
{
    /// <summary>LZ4_FRAME and ZSTD buffers (the Arrow IPC BodyCompression); an uncompressed batch reads as before.</summary>
    private static readonly CompressionCodecFactory Codecs = new();

    private readonly byte[] _schemaBytes = serializedSchema.ToByteArray();

    public SourceChunk Decode(int partition, long firstOffset, ReadRowsResponse response) => response.ArrowRecordBatch is { } batch
        ? Decode(partition, firstOffset, batch.SerializedRecordBatch)
        : throw new InvalidDataException($"The response says {response.RowCount} rows but holds no Arrow record batch (is the session in Arrow format?).");

    public SourceChunk Decode(int partition, long firstOffset, ByteString serializedBatch)
    {
        // The batch message alone is not a stream: Google's samples prepend the session's schema message.
        byte[] message = new byte[_schemaBytes.Length + serializedBatch.Length];
        _schemaBytes.CopyTo(message, 0);
        serializedBatch.Span.CopyTo(message.AsSpan(_schemaBytes.Length));
        using var reader = new ArrowStreamReader(new ReadOnlyMemory<byte>(message), Codecs);
        using RecordBatch batch = reader.ReadNextRecordBatch() ?? throw new InvalidDataException("The response holds no record batch.");
        if (batch.ColumnCount != schema.Fields.Count)
        {
            throw new InvalidDataException($"The record batch has {batch.ColumnCount} columns; the session schema has {schema.Fields.Count}.");
        }

        int count = batch.Length;
        var columns = new ColumnVector[batch.ColumnCount];
        for (int c = 0; c < columns.Length; c++)
        {
            columns[c] = DecodeColumn(batch.Column(c), count);
        }

        return new SourceChunk(partition, firstOffset, count, columns);
    }

    private static ColumnVector DecodeColumn(IArrowArray array, int count)
    {
        bool[]? nulls = Nulls(array, count);
        switch (array)
        {
            case Int64Array longs:
                return new Int64Column(longs.Values[..count].ToArray(), count, nulls);
            case Int32Array ints:
                return new Int64Column(Widen(ints.Values, count), count, nulls);
            case Int16Array shorts:
                return new Int64Column(Widen(shorts.Values, count), count, nulls);
            case DoubleArray doubles:
                return new Float64Column(doubles.Values[..count].ToArray(), count, nulls);
            case FloatArray floats:
                double[] widened = new double[count];
                ReadOnlySpan<float> floatValues = floats.Values;
                for (int i = 0; i < count; i++)
                {
                    widened[i] = floatValues[i];
                }

                return new Float64Column(widened, count, nulls);
            case BooleanArray bools:
                bool[] values = new bool[count];
                for (int i = 0; i < count; i++)
                {
                    values[i] = bools.GetValue(i) == true;
                }

                return new BoolColumn(values, count, nulls);
            case TimestampArray times:
                return new Int64Column(ToMicros(times.Values[..count], ((TimestampType)times.Data.DataType).Unit), count, nulls, ColumnType.Timestamp);
            case Date32Array dates:
                return new Int64Column(ToMidnights(dates.Values, count, nulls), count, nulls, ColumnType.Date);
            case Decimal128Array decimals:
                // Little-endian two's complement, 16 bytes a value: the layout of Int128 on every platform .NET runs on.
                Int128[] unscaled = MemoryMarshal.Cast<byte, Int128>(decimals.ValueBuffer.Span.Slice(decimals.Offset * 16, count * 16)).ToArray();
                return new NumericColumn(unscaled, ((Decimal128Type)decimals.Data.DataType).Scale, count, nulls);
            case BinaryArray binary:
                // StringArray derives from BinaryArray: the same offsets and data layout.
                ReadOnlySpan<int> offsets = binary.ValueOffsets[..(count + 1)];
                int first = offsets[0];
                int[] rebased = new int[count + 1];
                for (int i = 0; i <= count; i++)
                {
                    rebased[i] = offsets[i] - first;
                }

                byte[] data = binary.ValueBuffer.Span[first..offsets[count]].ToArray();
                return new BinaryColumn(data, rebased, count, nulls, array is StringArray ? ColumnType.String : ColumnType.Bytes);
            default:
                throw new InvalidDataException($"Arrow type {array.Data.DataType.Name} is not in the session schema mapping.");
        }
    }

    private static bool[]? Nulls(IArrowArray array, int count)
    {
        if (array.NullCount == 0)
        {
            return null;
        }

        bool[] nulls = new bool[count];
        for (int i = 0; i < count; i++)
        {
            nulls[i] = array.IsNull(i);
        }

        return nulls;
    }

    private static long[] Widen(ReadOnlySpan<int> values, int count)
    {
        long[] result = new long[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private static long[] Widen(ReadOnlySpan<short> values, int count)
    {
        long[] result = new long[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private static long[] ToMidnights(ReadOnlySpan<int> days, int count, bool[]? nulls)
    {
        long[] micros = new long[count];
        for (int i = 0; i < count; i++)
        {
            if (!DateValues.TryFromDays(days[i], out micros[i]) && (nulls is null || !nulls[i]))
            {
                // BigQuery's DATE stops at 9999-12-31; a larger date32 would also overflow the microseconds.
                throw new InvalidDataException($"Date32 value {days[i]} days is outside 0001-01-01 to 9999-12-31.");
            }
        }

        return micros;
    }

    private static long[] ToMicros(ReadOnlySpan<long> values, TimeUnit unit)
    {
        long[] result = values.ToArray();
        switch (unit)
        {
            case TimeUnit.Second:
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] *= 1_000_000;
                }

                break;
            case TimeUnit.Millisecond:
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] *= 1_000;
                }

                break;
            case TimeUnit.Nanosecond:
                for (int i = 0; i < result.Length; i++)
                {
                    // Floor, so an instant before the epoch stays before the microsecond it falls in.
                    result[i] = Math.DivRem(result[i], 1_000L, out long rest) - (rest < 0 ? 1 : 0);
                }

                break;
            default:
                break;
        }

        return result;
    }
}
