using System.Text;
using StreamingFeatures.Bigtable;

namespace StreamingFeatures.Verification;

// Protocol-buffer wire reading of ReadRowsResponse bytes, and the byte-array keys of the feature lookup.
internal sealed partial class ReadRowsDigester
{
    private static byte[] ColumnKey(string family, byte[] qualifier)
    {
        byte[] familyBytes = Encoding.UTF8.GetBytes(family);
        return [.. familyBytes, ColumnSeparator, .. qualifier];
    }

    private static void Ensure(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length));
        }
    }

    /// <summary>The value of a StringValue or BytesValue wrapper (field 1; absent means empty).</summary>
    private static ReadOnlySpan<byte> WrappedValue(ReadOnlySpan<byte> wrapper)
    {
        ReadOnlySpan<byte> value = default;
        int at = 0;
        while (at < wrapper.Length)
        {
            at += ReadTag(wrapper[at..], out int field, out int wire);
            if (field == 1 && wire == WireLengthDelimited)
            {
                at += ReadBytes(wrapper[at..], out value);
            }
            else
            {
                at += Skip(wrapper[at..], wire);
            }
        }

        return value;
    }

    private static int ReadTag(ReadOnlySpan<byte> source, out int field, out int wire)
    {
        int read = ProtoWire.ReadVarint(source, out ulong tag);
        field = (int)(tag >> 3);
        wire = (int)(tag & 7);
        return read;
    }

    private static int ReadLength(ReadOnlySpan<byte> source, out int length)
    {
        int read = ProtoWire.ReadVarint(source, out ulong value);
        if (value > (ulong)(source.Length - read))
        {
            throw new InvalidDataException("Malformed ReadRowsResponse: a field runs past the end of the message.");
        }

        length = (int)value;
        return read;
    }

    private static int ReadBytes(ReadOnlySpan<byte> source, out ReadOnlySpan<byte> bytes)
    {
        int read = ReadLength(source, out int length);
        bytes = source.Slice(read, length);
        return read + length;
    }

    private static int Skip(ReadOnlySpan<byte> source, int wire) => wire switch
    {
        WireVarint => ProtoWire.ReadVarint(source, out _),
        WireFixed64 when source.Length >= 8 => 8,
        WireLengthDelimited => ReadBytes(source, out _),
        WireFixed32 when source.Length >= 4 => 4,
        _ => throw new InvalidDataException($"Malformed ReadRowsResponse: wire type {wire} cannot be skipped here."),
    };

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
