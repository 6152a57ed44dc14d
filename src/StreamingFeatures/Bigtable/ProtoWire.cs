namespace StreamingFeatures.Bigtable;

/// <summary>
/// The few protobuf wire-format primitives the hot path writes by hand: MutateRows entries are encoded once, straight
/// into pooled buffers, instead of through per-cell message objects (see <see cref="MutateRowsMethod"/>).
/// </summary>
internal static class ProtoWire
{
    /// <summary>Tag of a length-delimited field.</summary>
    public static byte LengthDelimited(int field) => (byte)((field << 3) | 2);

    /// <summary>Tag of a varint field.</summary>
    public static byte Varint(int field) => (byte)(field << 3);

    public static int VarintSize(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    public static int VarintSize(long value) => VarintSize((ulong)value);

    public static int WriteVarint(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Size of a length-delimited field: tag, length, payload.</summary>
    public static int FieldSize(int payloadLength) => 1 + VarintSize((ulong)payloadLength) + payloadLength;

    /// <summary>Writes tag and length of a length-delimited field; returns the bytes written.</summary>
    public static int WriteHeader(Span<byte> destination, int field, int payloadLength)
    {
        destination[0] = LengthDelimited(field);
        return 1 + WriteVarint(destination[1..], (ulong)payloadLength);
    }

    /// <summary>Reads a varint; returns the bytes consumed.</summary>
    public static int ReadVarint(ReadOnlySpan<byte> source, out ulong value)
    {
        value = 0;
        for (int i = 0, shift = 0; i < 10 && i < source.Length; i++, shift += 7)
        {
            value |= (ulong)(source[i] & 0x7F) << shift;
            if (source[i] < 0x80)
            {
                return i + 1;
            }
        }

        throw new InvalidDataException("Malformed varint.");
    }
}
