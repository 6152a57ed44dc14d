using System.Globalization;
using System.Text;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Tests.Sources.Columns;

/// <summary>Exact decimals as text (BigQuery's CAST(NUMERIC AS STRING)), parsed back, rescaled and rounded to double.</summary>
[TestClass]
public sealed class NumericTextTests
{
    private const string MaxNumeric = "99999999999999999999999999999.999999999";

    [TestMethod]
    [DataRow("0", 9, "0")]
    [DataRow("0", 0, "0")]
    [DataRow("-0.000000000", 9, "0")]
    [DataRow("1.5", 9, "1.5")]
    [DataRow("1.500000000", 9, "1.5")]
    [DataRow("-1.5", 9, "-1.5")]
    [DataRow("10", 9, "10")]
    [DataRow("100", 0, "100")]
    [DataRow("-7", 0, "-7")]
    [DataRow("0.000000001", 9, "0.000000001")]
    [DataRow("-0.000000001", 9, "-0.000000001")]
    [DataRow("0.1", 9, "0.1")]
    [DataRow("123456789.000000001", 9, "123456789.000000001")]
    [DataRow(MaxNumeric, 9, MaxNumeric)]
    [DataRow("-" + MaxNumeric, 9, "-" + MaxNumeric)]
    [DataRow("99999999999999999999999999999999999999", 0, "99999999999999999999999999999999999999")]
    [DataRow("0.00000000000000000000000000000000000001", 38, "0.00000000000000000000000000000000000001")]
    [DataRow("-9.9999999999999999999999999999999999999", 37, "-9.9999999999999999999999999999999999999")]
    public void Format_ParsedValue_PrintsAsBigQueryWithoutTrailingZerosOrExponent(string text, int scale, string expected)
    {
        Assert.IsTrue(NumericText.TryParse(Encoding.ASCII.GetBytes(text), scale, out Int128 unscaled), text);

        Span<byte> buffer = stackalloc byte[NumericText.MaxTextBytes];
        int length = NumericText.Format(unscaled, scale, buffer);

        Assert.AreEqual(expected, Encoding.ASCII.GetString(buffer[..length]));
        Assert.AreEqual(expected.Length, NumericText.TextLength(unscaled, scale));
    }

    [TestMethod]
    public void Format_Int128Extremes_FitMaxTextBytes()
    {
        Span<byte> buffer = stackalloc byte[NumericText.MaxTextBytes];

        int min = NumericText.Format(Int128.MinValue, 0, buffer);
        Assert.AreEqual("-170141183460469231731687303715884105728", Encoding.ASCII.GetString(buffer[..min]));
        int tiny = NumericText.Format(Int128.MinValue + 1, 38, buffer);
        Assert.AreEqual("-1.70141183460469231731687303715884105727", Encoding.ASCII.GetString(buffer[..tiny]));
        int small = NumericText.Format(-1, 38, buffer);
        Assert.AreEqual("-0." + new string('0', 37) + "1", Encoding.ASCII.GetString(buffer[..small]));
    }

    [TestMethod]
    public void Format_UnscaledIntegers_PlacesThePointByScale()
    {
        Assert.AreEqual("12.34", NumericText.ToString(1234, 2));
        Assert.AreEqual("0.01", NumericText.ToString(1, 2));
        Assert.AreEqual("-0.1", NumericText.ToString(-10, 2));
        Assert.AreEqual("1000", NumericText.ToString(1000, 0));
        Assert.AreEqual("1", NumericText.ToString(1_000_000_000, 9));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("-")]
    [DataRow(".")]
    [DataRow("1e5")]
    [DataRow("1.2.3")]
    [DataRow("abc")]
    [DataRow("0.0000000001")]
    [DataRow("100000000000000000000000000000")]
    public void TryParse_NotANumericOfScale9_False(string text)
    {
        Assert.IsFalse(NumericText.TryParse(Encoding.ASCII.GetBytes(text), 9, out _), text);
    }

    [TestMethod]
    [DataRow("+1.25", 1_250_000_000L)]
    [DataRow(" 1.25 ", 1_250_000_000L)]
    [DataRow(".5", 500_000_000L)]
    [DataRow("5.", 5_000_000_000L)]
    [DataRow("0.1000000000000", 100_000_000L)]
    [DataRow("-0", 0L)]
    public void TryParse_AcceptedForms_UnscaledAtScale9(string text, long expected)
    {
        Assert.IsTrue(NumericText.TryParse(Encoding.ASCII.GetBytes(text), 9, out Int128 unscaled), text);

        Assert.AreEqual((Int128)expected, unscaled);
    }

    [TestMethod]
    [DataRow("0", 0.0)]
    [DataRow("1.5", 1.5)]
    [DataRow("-0.000000001", -1e-9)]
    [DataRow("0.1", 0.1)]
    [DataRow("123456789.123456789", 123456789.123456789)]
    [DataRow("9007199254740993", 9007199254740992.0)]
    [DataRow(MaxNumeric, 1e29)]
    [DataRow("-" + MaxNumeric, -1e29)]
    public void ToDouble_Value_NearestDouble(string text, double expected)
    {
        Assert.IsTrue(NumericText.TryParse(Encoding.ASCII.GetBytes(text), 9, out Int128 unscaled));

        double value = NumericText.ToDouble(unscaled, 9);

        Assert.AreEqual(expected, value);
        Assert.AreEqual(double.Parse(text, CultureInfo.InvariantCulture), value, "the same double as parsing the exact text");
    }

    [TestMethod]
    public void ToDouble_ManyValuesEitherPath_MatchesParsingTheText()
    {
        var random = new Random(5);
        for (int i = 0; i < 10_000; i++)
        {
            Int128 unscaled = ((Int128)random.NextInt64() << random.Next(0, 60)) * (random.Next(2) == 0 ? 1 : -1);
            if (!NumericText.FitsPrecision(unscaled))
            {
                continue;
            }

            int scale = random.Next(0, 39);
            string text = NumericText.ToString(unscaled, scale);

            Assert.AreEqual(double.Parse(text, CultureInfo.InvariantCulture), NumericText.ToDouble(unscaled, scale), text);
        }
    }

    [TestMethod]
    public void TryRescale_ExactOrRefused()
    {
        Assert.IsTrue(NumericText.TryRescale(1234, 2, 9, out Int128 up));
        Assert.AreEqual((Int128)12_340_000_000L, up);
        Assert.IsTrue(NumericText.TryRescale(-12_340_000_000L, 9, 2, out Int128 down));
        Assert.AreEqual((Int128)(-1234), down);
        Assert.IsFalse(NumericText.TryRescale(12_345_678_901L, 9, 2, out _), "dropping non-zero digits");
        Assert.IsFalse(NumericText.TryRescale((Int128)NumericText.Pow10(30), 0, 9, out _), "beyond 38 digits");
    }

    [TestMethod]
    public void NumericColumn_FromStrings_ValuesNullsAndDescribe()
    {
        NumericColumn column = NumericColumn.FromStrings(["2.50", null, "-3"]);

        Assert.AreEqual(ColumnType.Numeric, column.Type);
        Assert.AreEqual(9, column.Scale);
        Assert.AreEqual((Int128)2_500_000_000L, column.Values[0]);
        Assert.IsTrue(column.IsNull(1));
        Assert.AreEqual("null", column.Describe(1));
        Assert.AreEqual("2.5", column.Describe(0));
        Assert.AreEqual("-3", column.Describe(2));
        Assert.ThrowsExactly<FormatException>(() => NumericColumn.FromStrings(["0.0000000001"]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new NumericColumn([], 39, 0));
    }
}
