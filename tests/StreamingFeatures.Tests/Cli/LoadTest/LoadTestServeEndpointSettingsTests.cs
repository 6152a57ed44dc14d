using StreamingFeatures.Cli.LoadTest;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Tests.Cli.LoadTest;

/// <summary><c>loadtest --serve-endpoint</c> and <c>--write-feature-set</c>: checked before anything starts; the file serve loads.</summary>
[TestClass]
public sealed class LoadTestServeEndpointSettingsTests
{
    private static readonly FileInfo Profile = new(Path.Combine(Path.GetTempPath(), "profile.yaml"));

    [TestMethod]
    public void Problems_ServeEndpointWithAPath_NamesTheFlagAndWhatIsAllowed()
    {
        var settings = new LoadTestSettings { Profile = Profile, Table = "t", ServeEndpoint = "localhost:8081", Environment = _ => null };

        string problem = settings.Problems().Single();

        StringAssert.Contains(problem, "--serve-endpoint is 'localhost:8081'");
        StringAssert.Contains(problem, "http://localhost:8081");
    }

    [TestMethod]
    public void Problems_ServeEndpointAndWriteFeatureSetWithoutTable_AskForTable()
    {
        var settings = new LoadTestSettings
        {
            Profile = Profile,
            ServeEndpoint = "http://127.0.0.1:8081",
            WriteFeatureSet = new FileInfo(Path.Combine(Path.GetTempPath(), "set.json")),
            Environment = _ => null,
        };

        IReadOnlyList<string> problems = settings.Problems();

        Assert.HasCount(2, problems);
        StringAssert.StartsWith(problems[0], "--serve-endpoint needs --table");
        StringAssert.StartsWith(problems[1], "--write-feature-set needs --table");
    }

    [TestMethod]
    public void Problems_WriteFeatureSetWithTargetIngest_Refused()
    {
        var settings = new LoadTestSettings
        {
            Profile = Profile,
            Table = "t",
            Target = "ingest",
            WriteFeatureSet = new FileInfo(Path.Combine(Path.GetTempPath(), "set.json")),
            Environment = _ => null,
        };

        IReadOnlyList<string> problems = settings.Problems();

        Assert.ContainsSingle(problems.Where(p => p.StartsWith("--write-feature-set does not go with --target ingest", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Problems_ServeEndpointWithTable_NoProblem()
    {
        var settings = new LoadTestSettings { Profile = Profile, Table = "loadtest-serve", ServeEndpoint = "http://127.0.0.1:8081", Environment = _ => null };

        Assert.IsEmpty(settings.Problems());
        Assert.AreEqual(new Uri("http://127.0.0.1:8081"), settings.ServeUri);
    }

    [TestMethod]
    public void Text_GeneratedFeatureSet_LoadsBackAsTheSameFeatureSet()
    {
        var profile = new LoadProfile { Name = "reads", Rows = new LoadRows { Features = 4 }, RowKey = new LoadRowKey { BucketPrefix = true, Buckets = 16 } };
        FeatureSetOptions written = LoadPlan.FeatureSet(profile, "loadtest-serve");

        FeatureSetOptions loaded = FeatureSetLoader.Parse(LoadTestFeatureSetFile.Text(written), FeatureSetFormat.Json);

        Assert.AreEqual("loadtest-serve", loaded.Table);
        CollectionAssert.AreEqual(written.EntityKey, loaded.EntityKey);
        Assert.AreEqual(written.EventTime, loaded.EventTime);
        CollectionAssert.AreEqual(written.Features.Select(f => (f.Name, f.Family, f.Type)).ToList(), loaded.Features.Select(f => (f.Name, f.Family, f.Type)).ToList());
        Assert.AreEqual(16, loaded.RowKey.Buckets);
        Assert.IsTrue(loaded.RowKey.BucketPrefix);
        Assert.AreEqual(written.Families.Single().Value.MaxVersions, loaded.Families[written.Families.Single().Key].MaxVersions);
    }
}
