using StreamingFeatures.Cli.Ingest;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary>Settings that used to pass unnoticed, or with a misleading message: each is refused naming what is wrong.</summary>
[TestClass]
public sealed class IngestBadInputTests
{
    private string _folder = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("sf-ingest-badinput-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public void Load_SettingGivenAsArrayInTheFile_RefusedNotIgnored()
    {
        string file = Path.Combine(_folder, "ingest.json");
        File.WriteAllText(file, """{ "Streams": [1, 2] }""");

        var e = Assert.ThrowsExactly<IngestConfigurationException>(() => Load(file, new Dictionary<string, string?> { ["Local"] = "true" }));

        StringAssert.Contains(e.Message, $"Streams (--streams) is an object or array (file {file})");
    }

    [TestMethod]
    public void Load_ConfigIsAFolder_SaysSo()
    {
        var e = Assert.ThrowsExactly<IngestConfigurationException>(() => Load(_folder, new Dictionary<string, string?>()));

        StringAssert.Contains(e.Message, $"--config: {_folder} is a folder");
    }

    [TestMethod]
    public void Load_TableIdNotABigtableId_RefusedNamingTheFlag()
    {
        var e = Assert.ThrowsExactly<IngestConfigurationException>(() => Load(null, new Dictionary<string, string?> { ["Local"] = "true", ["Table"] = "bad table!" }));

        StringAssert.Contains(e.Message, "Table (--table) is 'bad table!' (flag --table); allowed a Bigtable table id (1 to 50 characters");
    }

    private static void Load(string? file, Dictionary<string, string?> flags) =>
        IngestCommand.Load(file, new Dictionary<string, string>(), flags);
}
