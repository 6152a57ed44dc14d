using StreamingFeatures.Keys;

namespace StreamingFeatures.Tests.Keys;

/// <summary>Cell values in BigQuery's Bigtable BINARY encoding, and cell timestamps at millisecond granularity.</summary>
[TestClass]
public sealed class CellEncodingTests
{
    [TestMethod]
    [DataRow(0L, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0 })]
    [DataRow(1L, new byte[] { 0, 0, 0, 0, 0, 0, 0, 1 })]
    [DataRow(-1L, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]
    [DataRow(-2L, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE })]
    [DataRow(0x0102030405060708L, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })]
    [DataRow(long.MaxValue, new byte[] { 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]
    [DataRow(long.MinValue, new byte[] { 0x80, 0, 0, 0, 0, 0, 0, 0 })]
    public void Int64_Value_BigEndianTwosComplement(long value, byte[] expected)
    {
        CollectionAssert.AreEqual(expected, CellEncoding.Int64(value));
        Assert.AreEqual(value, CellEncoding.ReadInt64(expected));
    }

    [TestMethod]
    [DataRow(0.0, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0 })]
    [DataRow(1.0, new byte[] { 0x3F, 0xF0, 0, 0, 0, 0, 0, 0 })]
    [DataRow(-2.5, new byte[] { 0xC0, 0x04, 0, 0, 0, 0, 0, 0 })]
    [DataRow(0.1, new byte[] { 0x3F, 0xB9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A })]
    [DataRow(double.PositiveInfinity, new byte[] { 0x7F, 0xF0, 0, 0, 0, 0, 0, 0 })]
    public void Float64_Value_BigEndianIeee754(double value, byte[] expected)
    {
        CollectionAssert.AreEqual(expected, CellEncoding.Float64(value));
        Assert.AreEqual(value, CellEncoding.ReadFloat64(expected));
    }

    [TestMethod]
    public void Float64_NegativeZero_KeepsSignBit()
    {
        CollectionAssert.AreEqual(new byte[] { 0x80, 0, 0, 0, 0, 0, 0, 0 }, CellEncoding.Float64(-0.0));
    }

    [TestMethod]
    public void Bool_Values_OneByteOneOrZero()
    {
        CollectionAssert.AreEqual(new byte[] { 1 }, CellEncoding.Bool(true));
        CollectionAssert.AreEqual(new byte[] { 0 }, CellEncoding.Bool(false));
        Assert.IsTrue(CellEncoding.ReadBool([1]));
        Assert.IsFalse(CellEncoding.ReadBool([0]));
    }

    [TestMethod]
    public void WriteMethods_IntoSpan_SameBytesAsArrays()
    {
        byte[] buffer = new byte[CellEncoding.Int64Size + CellEncoding.Float64Size + CellEncoding.BoolSize];

        CellEncoding.WriteInt64(buffer, 42);
        CellEncoding.WriteFloat64(buffer.AsSpan(CellEncoding.Int64Size), 0.25);
        CellEncoding.WriteBool(buffer.AsSpan(CellEncoding.Int64Size + CellEncoding.Float64Size), true);

        CollectionAssert.AreEqual(
            CellEncoding.Int64(42).Concat(CellEncoding.Float64(0.25)).Concat(CellEncoding.Bool(true)).ToArray(),
            buffer);
    }

    [TestMethod]
    public void String_NonAscii_Utf8Bytes()
    {
        CollectionAssert.AreEqual(new byte[] { (byte)'S', 0xC3, 0xA9, 0xE2, 0x82, 0xAC }, CellEncoding.String("Sé€"));
    }

    [TestMethod]
    [DataRow(0L, 0L)]
    [DataRow(1L, 0L)]
    [DataRow(999L, 0L)]
    [DataRow(1_000L, 1_000L)]
    [DataRow(1_001L, 1_000L)]
    [DataRow(1_999L, 1_000L)]
    [DataRow(2_000L, 2_000L)]
    [DataRow(1_700_000_000_123_456L, 1_700_000_000_123_000L)]
    [DataRow(1_700_000_000_123_000L, 1_700_000_000_123_000L)]
    [DataRow(-1L, -1_000L)]
    [DataRow(-1_000L, -1_000L)]
    public void CellTimestampMicros_EventTime_FlooredToMillisecond(long eventTimeMicros, long expected)
    {
        Assert.AreEqual(expected, CellEncoding.CellTimestampMicros(eventTimeMicros));
    }

    [TestMethod]
    public void ToUnixMicros_TimeAfterEpoch_MicrosecondsSinceEpoch()
    {
        var time = new DateTimeOffset(1970, 1, 1, 0, 0, 1, TimeSpan.Zero).AddTicks(15);

        Assert.AreEqual(1_000_001L, CellEncoding.ToUnixMicros(time));
        Assert.AreEqual(0L, CellEncoding.ToUnixMicros(DateTimeOffset.UnixEpoch));
    }

    [TestMethod]
    public void ToUnixMicros_OffsetTime_UsesUtcInstant()
    {
        var utc = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var local = new DateTimeOffset(2026, 1, 1, 14, 0, 0, TimeSpan.FromHours(2));

        Assert.AreEqual(CellEncoding.ToUnixMicros(utc), CellEncoding.ToUnixMicros(local));
    }
}
