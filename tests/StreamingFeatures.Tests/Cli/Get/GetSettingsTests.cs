using StreamingFeatures.Cli.Get;

namespace StreamingFeatures.Tests.Cli.Get;

[TestClass]
public sealed class GetSettingsTests
{
    [TestMethod]
    [DataRow(true, "json", DisplayName = "a pipe or a file: json, for a program")]
    [DataRow(false, "table", DisplayName = "a terminal: a table, for a person")]
    public void DefaultFormat_WhereOutputGoes_JsonWhenRedirected(bool redirected, string expected)
    {
        Assert.AreEqual(expected, GetSettings.DefaultFormat(redirected));
    }

    [TestMethod]
    public void Problems_FormatNeitherTableNorJson_NamesFlagValueAndAllowed()
    {
        var settings = new GetSettings { Entities = ["u1"], Features = [], Format = "yaml", Project = "p", Instance = "i" };

        CollectionAssert.Contains(settings.Problems(_ => null).ToList(), "--format is 'yaml'; allowed: table, json.");
    }
}
