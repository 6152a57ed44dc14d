using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Tests.FeatureSets;

/// <summary>The <c>maxFutureSkew</c> setting: read from files, defaulted, and checked with a message naming the key.</summary>
[TestClass]
public sealed class MaxFutureSkewTests
{
    private const string Yaml = """
        table: t
        entityKey: id
        eventTime: ts
        families:
          f: {}
        features:
          - name: a
            family: f
            type: int64
        """;

    [TestMethod]
    public void Parse_NotSet_DefaultsToOneHour()
    {
        Assert.AreEqual(TimeSpan.FromHours(1), FeatureSetLoader.Parse(Yaml, FeatureSetFormat.Yaml).MaxFutureSkew);
    }

    [TestMethod]
    [DataRow("15m", 15 * 60)]
    [DataRow("0s", 0)]
    [DataRow("2d", 2 * 24 * 3600)]
    [DataRow("\"01:30:00\"", 90 * 60)]
    public void Parse_Duration_Reads(string written, int seconds)
    {
        FeatureSetOptions options = FeatureSetLoader.Parse(Yaml + "\nmaxFutureSkew: " + written, FeatureSetFormat.Yaml);

        Assert.AreEqual(TimeSpan.FromSeconds(seconds), options.MaxFutureSkew);
    }

    [TestMethod]
    public void Parse_Json_Reads()
    {
        const string Json = """{ "table": "t", "entityKey": "id", "eventTime": "ts", "families": { "f": {} }, "features": [ { "name": "a", "family": "f", "type": "int64" } ], "maxFutureSkew": "10m" }""";

        Assert.AreEqual(TimeSpan.FromMinutes(10), FeatureSetLoader.Parse(Json, FeatureSetFormat.Json).MaxFutureSkew);
    }

    [TestMethod]
    [DataRow("\"an hour\"", "\"an hour\"")]
    [DataRow("3600", "\"3600\"")]
    public void Parse_NotADuration_ErrorNamesKeyValueAndAllowedForms(string written, string shown)
    {
        FeatureSetException error = Assert.ThrowsExactly<FeatureSetException>(
            () => FeatureSetLoader.Parse(Yaml + "\nmaxFutureSkew: " + written, FeatureSetFormat.Yaml));

        StringAssert.StartsWith(error.Errors[0], $"maxFutureSkew is {shown}; allowed: a duration such as 30d, 12h, 90m, 45s, 500ms or 7.00:00:00");
    }

    [TestMethod]
    public void Parse_Negative_ErrorNamesKeyValueAndRange()
    {
        FeatureSetException error = Assert.ThrowsExactly<FeatureSetException>(
            () => FeatureSetLoader.Parse(Yaml + "\nmaxFutureSkew: \"-01:00:00\"", FeatureSetFormat.Yaml));

        StringAssert.Contains(error.Message, "maxFutureSkew is -1h; allowed: 0ms to 3652500d (10,000 years)");
    }

    [TestMethod]
    [DataRow(-1L)]
    [DataRow(315_576_000_000_0000001L)]
    public void Validate_OutOfRange_OneErrorNamingKeyAndRange(long ticks)
    {
        FeatureSetOptions options = FeatureSetTestData.Valid();
        options.MaxFutureSkew = TimeSpan.FromTicks(ticks);

        FeatureSetTestData.AssertSingleError(options, "maxFutureSkew is ", "allowed: 0ms to 3652500d (10,000 years)");
    }

    [TestMethod]
    [DataRow(0L)]
    [DataRow(315_576_000_000_0000000L)]
    public void Validate_Bounds_Accepted(long ticks)
    {
        FeatureSetOptions options = FeatureSetTestData.Valid();
        options.MaxFutureSkew = TimeSpan.FromTicks(ticks);

        Assert.IsEmpty(FeatureSetValidator.Validate(options));
    }
}
