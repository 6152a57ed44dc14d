using System.CommandLine;
using StreamingFeatures.Cli.Options;

namespace StreamingFeatures.Tests.Cli.Options;

/// <summary>The option parsers behind the one-line errors: whole numbers, durations, RFC 3339 times, each naming option, value and form.</summary>
[TestClass]
public sealed class OptionParsersTests
{
    [TestMethod]
    [DataRow("1e6")]
    [DataRow("1,000")]
    [DataRow("99999999999999999999")]
    [DataRow("")]
    public void WholeNumber_NotAWholeNumber_ErrorNamesOptionValueAndForm(string text)
    {
        Option<long> option = new Option<long>("--rows").WholeNumber();

        ParseResult parse = new RootCommand { option }.Parse(["--rows", text]);

        Assert.HasCount(1, parse.Errors);
        Assert.AreEqual($"--rows is '{text}'; allowed: a whole number, without separators or exponent (e.g. 1000000).", parse.Errors[0].Message);
    }

    [TestMethod]
    public void WholeNumber_OutsideRange_ErrorNamesRange()
    {
        Option<int> option = new Option<int>("--port").WholeNumber(1, 65535);

        ParseResult parse = new RootCommand { option }.Parse(["--port", "70000"]);

        StringAssert.Contains(parse.Errors.Single().Message, "--port is '70000'; allowed: a whole number from 1 to 65535");
    }

    [TestMethod]
    public void WholeNumber_TooLargeForTheOption_ErrorNamesTheLimits()
    {
        Option<int> option = new Option<int>("--streams").WholeNumber();

        ParseResult parse = new RootCommand { option }.Parse(["--streams", "3000000000"]);

        StringAssert.Contains(parse.Errors.Single().Message, "--streams is '3000000000'; allowed: a whole number from -2147483648 to 2147483647");
    }

    [TestMethod]
    public void WholeNumber_NotGiven_Default()
    {
        Option<long> option = new Option<long>("--rows") { DefaultValueFactory = _ => 42 }.WholeNumber();

        ParseResult parse = new RootCommand { option }.Parse([]);

        Assert.IsEmpty(parse.Errors);
        Assert.AreEqual(42, parse.GetValue(option));
    }

    [TestMethod]
    [DataRow("NaN")]
    [DataRow("Infinity")]
    [DataRow("1e300")]
    [DataRow("0.01")]
    [DataRow("2h")]
    [DataRow("5x")]
    public void Duration_NotADurationOrOutOfRange_ErrorNamesRangeAndForms(string text)
    {
        Option<TimeSpan> option = new Option<TimeSpan>("--interval").Duration(TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));

        ParseResult parse = new RootCommand { option }.Parse(["--interval", text]);

        Assert.AreEqual($"--interval is '{text}'; allowed: a duration from 100ms to 1h, such as 90s, 5m or 1h (a bare number is seconds).", parse.Errors.Single().Message);
    }

    [TestMethod]
    [DataRow("90s", 90_000)]
    [DataRow("5m", 300_000)]
    [DataRow("1h", 3_600_000)]
    [DataRow("500ms", 500)]
    [DataRow("0.2", 200)]
    [DataRow("5", 5_000)]
    public void Duration_UnitOrBareSeconds_Parsed(string text, int milliseconds)
    {
        Option<TimeSpan> option = new Option<TimeSpan>("--interval").Duration(TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));

        ParseResult parse = new RootCommand { option }.Parse(["--interval", text]);

        Assert.IsEmpty(parse.Errors);
        Assert.AreEqual(TimeSpan.FromMilliseconds(milliseconds), parse.GetValue(option));
    }

    [TestMethod]
    [DataRow("2026-11-26T00:00:00Z")]
    [DataRow("2026-11-26T09:30:00.123+01:00")]
    [DataRow("2026-11-26 00:00:00z")]
    public void Rfc3339Time_Valid_Parsed(string text)
    {
        Option<DateTimeOffset?> option = new Option<DateTimeOffset?>("--at").Rfc3339Time();

        ParseResult parse = new RootCommand { option }.Parse(["--at", text]);

        Assert.IsEmpty(parse.Errors);
        Assert.AreEqual(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture), parse.GetValue(option));
    }

    [TestMethod]
    [DataRow("yesterday")]
    [DataRow("2026-11-26")]
    [DataRow("2026-11-26T00:00:00")]
    [DataRow("2026-13-26T00:00:00Z")]
    public void Rfc3339Time_NotRfc3339_ErrorSaysSo(string text)
    {
        Option<DateTimeOffset?> option = new Option<DateTimeOffset?>("--at").Rfc3339Time();

        ParseResult parse = new RootCommand { option }.Parse(["--at", text]);

        StringAssert.StartsWith(parse.Errors.Single().Message, $"--at is '{text}'; allowed: an RFC 3339 time with its offset");
    }
}
