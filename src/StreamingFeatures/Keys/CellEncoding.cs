using System.Buffers.Binary;
using System.Text;

namespace StreamingFeatures.Keys;

/// <summary>
/// Cell values in BigQuery's Bigtable BINARY encoding, so BigQuery external tables and <c>cbt</c> read them directly:
/// big-endian int64 and float64, one-byte bools, UTF-8 strings, bytes as they are; timestamps as int64 microseconds.
/// </summary>
public static class CellEncoding
{
    public const int Int64Size = 8;
    public const int Float64Size = 8;
    public const int BoolSize = 1;

    public static void WriteInt64(Span<byte> destination, long value) => BinaryPrimitives.WriteInt64BigEndian(destination, value);

    public static void WriteFloat64(Span<byte> destination, double value) => BinaryPrimitives.WriteDoubleBigEndian(destination, value);

    public static void WriteBool(Span<byte> destination, bool value) => destination[0] = value ? (byte)1 : (byte)0;

    public static byte[] Int64(long value)
    {
        byte[] bytes = new byte[Int64Size];
        WriteInt64(bytes, value);
        return bytes;
    }

    public static byte[] Float64(double value)
    {
        byte[] bytes = new byte[Float64Size];
        WriteFloat64(bytes, value);
        return bytes;
    }

    public static byte[] Bool(bool value) => [value ? (byte)1 : (byte)0];

    public static byte[] String(string value) => Encoding.UTF8.GetBytes(value);

    public static long ReadInt64(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadInt64BigEndian(value);

    public static double ReadFloat64(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadDoubleBigEndian(value);

    public static bool ReadBool(ReadOnlySpan<byte> value) => value[0] != 0;

    /// <summary>
    /// A cell timestamp from an event time in microseconds: Bigtable keeps millisecond granularity, so the micros are
    /// floored to the millisecond. The same event always yields the same timestamp, which makes writes idempotent.
    /// </summary>
    public static long CellTimestampMicros(long eventTimeMicros) => eventTimeMicros - ((eventTimeMicros % 1000) + 1000) % 1000;

    /// <summary>Microseconds since the Unix epoch.</summary>
    public static long ToUnixMicros(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
}
