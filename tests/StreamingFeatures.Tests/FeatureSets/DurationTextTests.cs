using System.Globalization;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Tests.FeatureSets;

[TestClass]
public sealed class DurationTextTests
{
    [TestMethod]
    [DataRow("30d", "30.00:00:00")]
    [DataRow("12h", "12:00:00")]
    [DataRow("90m", "01:30:00")]
    [DataRow("45s", "00:00:45")]
    [DataRow("500ms", "00:00:00.5")]
    [DataRow("0ms", "00:00:00")]
    [DataRow(" 7d ", "7.00:00:00")]
    [DataRow("7.00:00:00", "7.00:00:00")]
    [DataRow("01:30:00", "01:30:00")]
    [DataRow("00:00:00.0015", "00:00:00.0015")]
    public void TryParse_UnitOrTimeSpanText_ReturnsDuration(string text, string expected)
    {
        Assert.IsTrue(DurationText.TryParse(text, out TimeSpan value));
        Assert.AreEqual(TimeSpan.Parse(expected, CultureInfo.InvariantCulture), value);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("  ")]
    [DataRow("30")]
    [DataRow("30D")]
    [DataRow("30 d")]
    [DataRow("1.5h")]
    [DataRow("-5s")]
    [DataRow("+5s")]
    [DataRow("5w")]
    [DataRow("d")]
    [DataRow("1d12h")]
    [DataRow("99999999999999999999d")]
    [DataRow("10675200d")]
    [DataRow("1:2:3:4:5")]
    [DataRow("thirty days")]
    public void TryParse_Malformed_ReturnsFalse(string? text)
    {
        Assert.IsFalse(DurationText.TryParse(text, out _));
    }

    [TestMethod]
    [DataRow("10675199d")]
    [DataRow("922337203685477ms")]
    public void TryParse_NearTimeSpanMaximum_Succeeds(string text)
    {
        Assert.IsTrue(DurationText.TryParse(text, out _));
    }

    [TestMethod]
    [DataRow("30.00:00:00", "30d")]
    [DataRow("1.12:00:00", "36h")]
    [DataRow("01:30:00", "90m")]
    [DataRow("00:00:45", "45s")]
    [DataRow("00:00:00.5", "500ms")]
    [DataRow("00:00:00", "0ms")]
    [DataRow("-00:00:05", "-5s")]
    [DataRow("00:00:00.0015", "00:00:00.0015000")]
    public void Format_Duration_ReturnsShortestExactForm(string value, string expected)
    {
        Assert.AreEqual(expected, DurationText.Format(TimeSpan.Parse(value, CultureInfo.InvariantCulture)));
    }
}
