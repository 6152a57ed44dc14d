using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Avro.IO;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// One ReadRows response's rows in Avro, as <c>AvroRows.serialized_binary_rows</c> carries them: the records of
/// <see cref="AvroSchemaJson"/> back to back in Avro's binary encoding (no container header, no sync markers),
/// written with Avro's <see cref="BinaryEncoder"/> from the record batch the Arrow path would have sent, so both
/// formats give the same rows at the same offsets.
/// </summary>
internal static class AvroRowsEncoder
{
    public static byte[] Encode(RecordBatch batch)
    {
        using var stream = new MemoryStream();
        var encoder = new BinaryEncoder(stream);
        var scratch = new byte[16];
        for (int row = 0; row < batch.Length; row++)
        {
            for (int c = 0; c < batch.ColumnCount; c++)
            {
                IArrowArray array = batch.Column(c);
                if (batch.Schema.GetFieldByIndex(c).IsNullable)
                {
                    bool isNull = array.IsNull(row);
                    encoder.WriteUnionIndex(isNull ? 0 : 1);
                    if (isNull)
                    {
                        continue;
                    }
                }
                else if (array.IsNull(row))
                {
                    throw new InvalidOperationException($"Column {batch.Schema.GetFieldByIndex(c).Name} is REQUIRED but row {row} of the response is null.");
                }

                WriteValue(encoder, array, row, ref scratch);
            }
        }

        encoder.Flush();
        return stream.ToArray();
    }

    private static void WriteValue(BinaryEncoder encoder, IArrowArray array, int row, ref byte[] scratch)
    {
        switch (array)
        {
            case Int64Array longs:
                encoder.WriteLong(longs.Values[row]);
                break;
            case TimestampArray times:
                // The session's timestamps are microseconds (ArrowColumns.Timestamp), as timestamp-micros wants.
                encoder.WriteLong(times.Values[row]);
                break;
            case Date32Array dates:
                encoder.WriteInt(dates.Values[row]);
                break;
            case DoubleArray doubles:
                encoder.WriteDouble(doubles.Values[row]);
                break;
            case BooleanArray bools:
                encoder.WriteBoolean(bools.GetValue(row) == true);
                break;
            case Decimal128Array decimals:
                Int128 unscaled = MemoryMarshal.Read<Int128>(decimals.ValueBuffer.Span.Slice((decimals.Offset + row) * 16, 16));
                int length = TwosComplement(unscaled, scratch);
                encoder.WriteBytes(scratch, scratch.Length - length, length);
                break;
            case BinaryArray binary:
                // A string is encoded as bytes are: a length, then the UTF-8.
                ReadOnlySpan<byte> value = binary.GetBytes(row);
                if (MemoryMarshal.TryGetArray(binary.ValueBuffer.Memory, out ArraySegment<byte> data))
                {
                    encoder.WriteBytes(data.Array!, data.Offset + binary.ValueOffsets[row], value.Length);
                }
                else
                {
                    if (scratch.Length < value.Length)
                    {
                        scratch = new byte[Math.Max(value.Length, 2 * scratch.Length)];
                    }

                    value.CopyTo(scratch);
                    encoder.WriteBytes(scratch, 0, value.Length);
                }

                break;
            default:
                throw new InvalidOperationException($"Arrow type {array.Data.DataType.Name} has no Avro encoding in the emulator.");
        }
    }

    /// <summary>
    /// The shortest big-endian two's complement of <paramref name="value"/> (as Java's BigInteger.toByteArray gives
    /// it), right-aligned in the 16-byte <paramref name="destination"/>; returns its length.
    /// </summary>
    internal static int TwosComplement(Int128 value, byte[] destination)
    {
        BinaryPrimitives.WriteInt128BigEndian(destination.AsSpan(destination.Length - 16, 16), value);
        int start = destination.Length - 16;
        byte sign = value < 0 ? (byte)0xFF : (byte)0;

        // Drop leading sign bytes while the next byte still carries the sign in its top bit.
        while (start < destination.Length - 1 && destination[start] == sign && ((destination[start + 1] ^ sign) & 0x80) == 0)
        {
            start++;
        }

        return destination.Length - start;
    }
}
