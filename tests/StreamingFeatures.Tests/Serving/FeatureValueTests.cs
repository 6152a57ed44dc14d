using System.Text;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Tests.Serving;

[TestClass]
public sealed class FeatureValueTests
{
    [TestMethod]
    [DataRow(long.MinValue)]
    [DataRow(-1L)]
    [DataRow(0L)]
    [DataRow(long.MaxValue)]
    public void TryDecode_Int64Cell_ReturnsTheValueWritten(long value)
    {
        Assert.IsTrue(FeatureValue.TryDecode(FeatureType.Int64, CellEncoding.Int64(value), out FeatureValue decoded));
        Assert.AreEqual(value, decoded.AsInt64());
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(-2.5)]
    [DataRow(double.MaxValue)]
    [DataRow(double.NaN)]
    [DataRow(double.NegativeInfinity)]
    public void TryDecode_Float64Cell_ReturnsTheValueWritten(double value)
    {
        Assert.IsTrue(FeatureValue.TryDecode(FeatureType.Float64, CellEncoding.Float64(value), out FeatureValue decoded));
        Assert.AreEqual(value, decoded.AsFloat64());
    }

    [TestMethod]
    public void TryDecode_BoolStringBytesTimestampCells_ReturnTheValuesWritten()
    {
        byte[] bytes = [0, 1, 255];

        Assert.IsTrue(FeatureValue.TryDecode(FeatureType.Bool, CellEncoding.Bool(true), out FeatureValue flag));
        Assert.IsTrue(FeatureValue.TryDecode(FeatureType.String, CellEncoding.String("Zürich"), out FeatureValue text));
        Assert.IsTrue(FeatureValue.TryDecode(FeatureType.String, Array.Empty<byte>(), out FeatureValue empty));
        Assert.IsTrue(FeatureValue.TryDecode(FeatureType.Bytes, bytes, out FeatureValue blob));
        Assert.IsTrue(FeatureValue.TryDecode(FeatureType.Timestamp, CellEncoding.Int64(1_767_225_600_123_456), out FeatureValue time));

        Assert.IsTrue(flag.AsBool());
        Assert.AreEqual("Zürich", text.AsString());
        Assert.AreEqual(string.Empty, empty.AsString());
        CollectionAssert.AreEqual(bytes, blob.AsBytes().ToArray());
        Assert.AreEqual(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), time.AsTimestamp());
        Assert.AreEqual("2026-01-01T00:00:00.123456Z", time.ToString());
    }

    [TestMethod]
    [DataRow(FeatureType.Int64, 7)]
    [DataRow(FeatureType.Float64, 4)]
    [DataRow(FeatureType.Bool, 2)]
    [DataRow(FeatureType.Timestamp, 0)]
    public void TryDecode_WrongLength_False(FeatureType type, int length)
    {
        Assert.IsFalse(FeatureValue.TryDecode(type, new byte[length], out FeatureValue value));
        Assert.IsTrue(value.IsEmpty);
    }

    [TestMethod]
    public void AsInt64_StringValue_ThrowsNamingBothTypes()
    {
        FeatureValue value = FeatureValue.String("x");

        InvalidOperationException error = Assert.ThrowsExactly<InvalidOperationException>(() => value.AsInt64());

        Assert.AreEqual("The value is String, not Int64.", error.Message);
    }

    [TestMethod]
    public void Equals_SameBytesInOtherArrays_Equal()
    {
        Assert.AreEqual(FeatureValue.Bytes(Encoding.UTF8.GetBytes("ab")), FeatureValue.Bytes(new byte[] { 97, 98 }));
        Assert.AreNotEqual(FeatureValue.Int64(1), FeatureValue.Timestamp(1));
    }
}
