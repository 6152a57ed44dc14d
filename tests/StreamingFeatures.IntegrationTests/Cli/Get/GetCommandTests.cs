using System.Text.Json;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.IntegrationTests.Serving;

namespace StreamingFeatures.IntegrationTests.Cli.Get;

/// <summary><c>streamingfeatures get</c> as a process, against rows the pipeline wrote into the cbtemulator.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class GetCommandTests
{
    private const string LocalInstance = "projects/local/instances/local";
    private static readonly DateTimeOffset s_event = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Get_JsonFormat_TypedValuesStatusesAndEventTimesInRequestOrder()
    {
        using ServingTable table = await WrittenTableAsync();
        string featureSet = WriteFeatureSet(table.FeatureSet);

        CliResult result = await CliProcess.RunAsync(
            Path.GetDirectoryName(featureSet)!,
            ["get", "--entity", "u2", "--entity", "ghost", "--entity", "u1", "--feature-set", featureSet, "--feature", "i", "--feature", "x", "--feature", "b", "--feature", "s", "--format", "json"],
            Emulator(),
            TestContext.CancellationToken);

        Assert.AreEqual(0, result.Code, result.Output);
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        JsonElement entities = json.RootElement.GetProperty("entities");
        Assert.AreEqual(table.FeatureSet.Table, json.RootElement.GetProperty("table").GetString());
        CollectionAssert.AreEqual(new[] { "u2", "ghost", "u1" }, entities.EnumerateArray().Select(e => e.GetProperty("entity").GetString()).ToArray());
        JsonElement u1 = entities[2].GetProperty("features");
        Assert.AreEqual(long.MinValue, u1.GetProperty("i").GetProperty("value").GetInt64(), "int64 as a JSON number, not bytes");
        Assert.AreEqual(2.5, u1.GetProperty("x").GetProperty("value").GetDouble());
        Assert.IsTrue(u1.GetProperty("b").GetProperty("value").GetBoolean());
        Assert.AreEqual("Zürich", u1.GetProperty("s").GetProperty("value").GetString());
        Assert.AreEqual("PRESENT", u1.GetProperty("i").GetProperty("status").GetString());
        Assert.AreEqual("2026-03-01T12:00:00.000Z", u1.GetProperty("i").GetProperty("eventTime").GetString());
        Assert.AreEqual("NULL_VALUE", entities[0].GetProperty("features").GetProperty("s").GetProperty("status").GetString());
        Assert.AreEqual("NOT_FOUND", entities[1].GetProperty("features").GetProperty("i").GetProperty("status").GetString());
        Assert.IsFalse(entities[1].GetProperty("features").GetProperty("i").TryGetProperty("value", out _));
    }

    [TestMethod]
    public async Task Get_TableFormat_ALinePerEntityAndFeature()
    {
        using ServingTable table = await WrittenTableAsync();
        string featureSet = WriteFeatureSet(table.FeatureSet);

        CliResult result = await CliProcess.RunAsync(Path.GetDirectoryName(featureSet)!, ["get", "--entity", "u1", "--feature-set", featureSet, "--feature", "i", "--feature", "y", "--format", "table"], Emulator(), TestContext.CancellationToken);

        Assert.AreEqual(0, result.Code, result.Output);
        StringAssert.Matches(result.StandardOutput, new System.Text.RegularExpressions.Regex(@"u1\s+i\s+PRESENT\s+-9223372036854775808\s+2026-03-01T12:00:00\.000Z"));
        StringAssert.Matches(result.StandardOutput, new System.Text.RegularExpressions.Regex(@"u1\s+y\s+PRESENT\s+base64:AQL/"));
    }

    [TestMethod]
    public async Task Get_NoFormatOutputRedirected_PrintsJson()
    {
        using ServingTable table = await WrittenTableAsync();
        string featureSet = WriteFeatureSet(table.FeatureSet);

        CliResult result = await CliProcess.RunAsync(Path.GetDirectoryName(featureSet)!, ["get", "--entity", "u1", "--feature-set", featureSet, "--feature", "i"], Emulator(), TestContext.CancellationToken);

        Assert.AreEqual(0, result.Code, result.Output);
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        Assert.AreEqual("PRESENT", json.RootElement.GetProperty("entities")[0].GetProperty("features").GetProperty("i").GetProperty("status").GetString(), "a pipe gets JSON, as a program reads it");
    }

    [TestMethod]
    public async Task Get_Help_ShowsDurationsAsTypedAndTheFormatDefault()
    {
        CliResult result = await CliProcess.RunAsync(Path.GetTempPath(), ["get", "--help"], null, TestContext.CancellationToken);

        // Help wraps descriptions to the width: compare with the wrapping undone.
        string help = System.Text.RegularExpressions.Regex.Replace(result.StandardOutput, @"\s+", " ");
        Assert.AreEqual(0, result.Code, result.Output);
        StringAssert.Contains(help, "Default: 5s.");
        Assert.DoesNotContain("00:00:05", help);
        StringAssert.Contains(help, "json when standard output is redirected");
    }

    [TestMethod]
    public async Task Get_UnknownFeature_ExitsTwoWithOneLineNamingItBeforeReading()
    {
        using ServingTable table = await WrittenTableAsync();
        string featureSet = WriteFeatureSet(table.FeatureSet);

        CliResult result = await CliProcess.RunAsync(Path.GetDirectoryName(featureSet)!, ["get", "--entity", "u1", "--feature-set", featureSet, "--feature", "nope"], Emulator(), TestContext.CancellationToken);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, "error: features[0] is 'nope', which feature set of table");
    }

    [TestMethod]
    public async Task Get_NoEmulatorNoProject_ExitsTwoNamingBothWays()
    {
        CliResult result = await CliProcess.RunAsync(Path.GetTempPath(), ["get", "--entity", "u1"], null, TestContext.CancellationToken);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, "name it with --project and --instance, or point BIGTABLE_EMULATOR_HOST at the emulator that holds it");
    }

    private static Dictionary<string, string> Emulator() => new() { [CliProcess.BigtableHostVariable] = EmulatorFixture.Bigtable.Endpoint };

    private async Task<ServingTable> WrittenTableAsync()
    {
        ServingTable table = await ServingTable.CreateAsync(FeatureReaderEmulatorTests.AllTypes(EmulatorFixture.UniqueName("get"), NullHandling.Skip), TestContext.CancellationToken, LocalInstance);
        await table.WriteAsync(
        [
            $"u1,{ServingTable.Time(s_event)},-9223372036854775808,2.5,true,Zürich,AQL/,2026-02-03T04:05:06Z",
            $"u2,{ServingTable.Time(s_event)},42,1,false,,,",
        ], TestContext.CancellationToken);
        return table;
    }

    /// <summary>The feature set as a user writes it, in YAML, in a folder of its own.</summary>
    private static string WriteFeatureSet(FeatureSetOptions featureSet)
    {
        string folder = Directory.CreateTempSubdirectory("get-").FullName;
        string features = string.Join(Environment.NewLine, featureSet.Features.Select(f => $"  - {{ name: {f.Name}, family: {f.Family}, type: {f.Type.ToString().ToLowerInvariant()}, nullable: {(f.Nullable ? "true" : "false")} }}"));
        string path = Path.Combine(folder, "features.yaml");
        File.WriteAllText(path, $"""
            table: {featureSet.Table}
            entityKey: user_id
            eventTime: ts
            families:
              f: {"{}"}
            features:
            {features}
            """);
        return path;
    }
}
