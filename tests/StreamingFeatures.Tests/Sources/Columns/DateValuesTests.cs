using System.Text;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Tests.Sources.Columns;

/// <summary>DATE values held as the microseconds of their midnight UTC.</summary>
[TestClass]
public sealed class DateValuesTests
{
    [TestMethod]
    [DataRow(0L, "1970-01-01")]
    [DataRow(-1L, "1969-12-31")]
    [DataRow(19_724L, "2024-01-02")]
    [DataRow(-719_162L, "0001-01-01")]
    [DataRow(2_932_896L, "9999-12-31")]
    public void WriteIso_DaysSinceEpoch_YearMonthDay(long days, string expected)
    {
        Assert.IsTrue(DateValues.TryFromDays(days, out long micros));
        Span<byte> text = stackalloc byte[DateValues.IsoLength];

        Assert.AreEqual(DateValues.IsoLength, DateValues.WriteIso(text, micros));
        Assert.AreEqual(expected, Encoding.ASCII.GetString(text));
        Assert.IsTrue(DateValues.IsDate(micros));
        Assert.AreEqual(days, DateValues.ToDays(micros));
        Assert.AreEqual(expected, new Int64Column([micros], 1, type: ColumnType.Date).Describe(0));
    }

    [TestMethod]
    [DataRow(-719_163L)]
    [DataRow(2_932_897L)]
    [DataRow((long)int.MaxValue)]
    public void TryFromDays_OutsideBigQueryDateRange_False(long days)
    {
        Assert.IsFalse(DateValues.TryFromDays(days, out _));
        if (days < int.MaxValue)
        {
            Assert.AreEqual(-1, DateValues.WriteIso(new byte[DateValues.IsoLength], days * DateValues.MicrosPerDay));
        }
    }

    [TestMethod]
    public void IsDate_NotMidnight_False()
    {
        Assert.IsFalse(DateValues.IsDate(1));
        Assert.IsFalse(DateValues.IsDate(-1));
        Assert.AreEqual(-1, DateValues.ToDays(-1), "a micro before the epoch is in 1969-12-31");
        Assert.AreEqual(DateValues.MicrosPerDay * 19_724, DateValues.FromDate(new DateOnly(2024, 1, 2)));
    }
}
