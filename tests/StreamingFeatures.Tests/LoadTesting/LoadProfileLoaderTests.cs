using StreamingFeatures.FeatureSets;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Tests.LoadTesting;

[TestClass]
public sealed class LoadProfileLoaderTests
{
    private const string Steady = """
        name: steady
        shape:
          kind: steady
          rate: 5000
          duration: 60s
        """;

    [TestMethod]
    public void Parse_MinimalYaml_AppliesDefaults()
    {
        LoadProfile profile = LoadProfileLoader.Parse(Steady, FeatureSetFormat.Yaml);

        Assert.AreEqual("steady", profile.Name);
        Assert.AreEqual(LoadTarget.Synthetic, profile.Target);
        Assert.AreEqual(LoadShapeKind.Steady, profile.Shape.Kind);
        Assert.AreEqual(5000, profile.Shape.Rate);
        Assert.AreEqual(TimeSpan.FromSeconds(60), profile.Shape.Duration);
        Assert.AreEqual(LoadKeyDistribution.Uniform, profile.Keys.Distribution);
        Assert.IsTrue(profile.RowKey.BucketPrefix);
        Assert.AreEqual(TimeSpan.FromSeconds(1), profile.Measure.Interval);
        Assert.AreEqual(32, profile.Measure.KeyRanges);
    }

    [TestMethod]
    public void Parse_FullJson_ReadsEverySetting()
    {
        const string json = """
            {
              "name": "j", "description": "d", "target": "bigQuery",
              "shape": { "kind": "stages", "stages": [ { "duration": "10s", "rate": 100 }, { "duration": "5s", "rate": 100, "to": 300 } ] },
              "keys": { "distribution": "zipf", "keySpace": 5000, "zipfExponent": 1.3, "hotKeyShare": 0.25, "hotKeys": 4 },
              "rows": { "features": 3, "valueBytes": 16 },
              "rowKey": { "bucketPrefix": false, "buckets": 8 },
              "measure": { "interval": "500ms", "keyRanges": 16, "keyRangeSource": "sampled", "drain": "20s", "warmup": "2s" },
              "gate": { "maxThroughputDrop": 0.2, "maxP99Rise": 0.5 }
            }
            """;

        LoadProfile profile = LoadProfileLoader.Parse(json, FeatureSetFormat.Json);

        Assert.AreEqual(LoadTarget.BigQuery, profile.Target);
        CollectionAssert.AreEqual(
            new[] { new LoadStage(TimeSpan.FromSeconds(10), 100, 100), new LoadStage(TimeSpan.FromSeconds(5), 100, 300) },
            profile.Shape.ToStages().ToArray());
        Assert.AreEqual(LoadKeyDistribution.Zipf, profile.Keys.Distribution);
        Assert.AreEqual(1.3, profile.Keys.ZipfExponent);
        Assert.AreEqual(0.25, profile.Keys.HotKeyShare);
        Assert.AreEqual(4, profile.Keys.HotKeys);
        Assert.AreEqual(16, profile.Rows.ValueBytes);
        Assert.IsFalse(profile.RowKey.BucketPrefix);
        Assert.AreEqual(KeyRangeSource.Sampled, profile.Measure.KeyRangeSource);
        Assert.AreEqual(TimeSpan.FromMilliseconds(500), profile.Measure.Interval);
        Assert.AreEqual(0.5, profile.Gate.MaxP99Rise);
    }

    [TestMethod]
    public void Parse_NegativeRate_NamesSettingValueAndRange()
    {
        var e = Assert.ThrowsExactly<LoadProfileException>(() => LoadProfileLoader.Parse(Steady.Replace("rate: 5000", "rate: -5"), FeatureSetFormat.Yaml));

        Assert.HasCount(1, e.Errors);
        StringAssert.Contains(e.Errors[0], "shape.rate is -5; allowed: 0 to 10000000 rows per second (at line 4, column 3)");
    }

    [TestMethod]
    public void Parse_UnknownKeys_ReportsEachWithAllowedKeys()
    {
        string text = Steady + "\nkeys:\n  distributon: zipf\nrowz: 3\n";

        var e = Assert.ThrowsExactly<LoadProfileException>(() => LoadProfileLoader.Parse(text, FeatureSetFormat.Yaml));

        Assert.HasCount(2, e.Errors);
        StringAssert.Contains(e.Errors[0], "keys.distributon is not a setting; allowed: distribution, keySpace");
        StringAssert.Contains(e.Errors[1], "rowz is not a setting; allowed: name, description, target, shape");
    }

    [TestMethod]
    public void Parse_UnknownShapeKind_ListsTheKinds()
    {
        var e = Assert.ThrowsExactly<LoadProfileException>(() => LoadProfileLoader.Parse(Steady.Replace("kind: steady", "kind: wave"), FeatureSetFormat.Yaml));

        StringAssert.Contains(e.Message, "shape.kind is \"wave\"; allowed: steady, ramp, step, spike, soak, stages");
    }

    [TestMethod]
    public void Parse_BadShapes_ReportsEveryProblemAtOnce()
    {
        const string text = """
            name: bad shape
            shape:
              kind: spike
              rate: 100
              to: 400
              duration: 10s
              spikeAt: 8s
              spikeDuration: 5s
            keys:
              hotKeyShare: 1.5
            """;

        var e = Assert.ThrowsExactly<LoadProfileException>(() => LoadProfileLoader.Parse(text, FeatureSetFormat.Yaml));

        string all = string.Join("\n", e.Errors);
        StringAssert.Contains(all, "name is \"bad shape\"; allowed: 1 to 64 letters");
        StringAssert.Contains(all, "shape.spikeRate is missing; a spike shape needs it");
        StringAssert.Contains(all, "shape.to is set, but a spike shape does not use it");
        StringAssert.Contains(all, "shape.spikeAt is 8s with a 5s spike; allowed: the spike ends within shape.duration (10s)");
        StringAssert.Contains(all, "keys.hotKeyShare is 1.5; allowed: 0 to 1");
        Assert.HasCount(5, e.Errors);
    }

    [TestMethod]
    public void Parse_StagesWithBadEntries_NamesTheStage()
    {
        const string text = """
            name: s
            shape:
              kind: stages
              stages:
                - { duration: 10s, rate: 100 }
                - { duration: 0s, rate: -1 }
                - { duration: soon, rate: 5 }
            """;

        var e = Assert.ThrowsExactly<LoadProfileException>(() => LoadProfileLoader.Parse(text, FeatureSetFormat.Yaml));

        string all = string.Join("\n", e.Errors);
        StringAssert.Contains(all, "shape.stages[1].duration is 0ms; allowed: 100ms to 1d");
        StringAssert.Contains(all, "shape.stages[1].rate is -1; allowed: 0 to 10000000");
        StringAssert.Contains(all, "shape.stages[2].duration is \"soon\"; allowed: a duration such as 30d");
    }

    [TestMethod]
    public void Parse_WarmupAsLongAsTheRun_IsRefused()
    {
        var e = Assert.ThrowsExactly<LoadProfileException>(() => LoadProfileLoader.Parse(Steady + "\nmeasure: { warmup: 60s }\n", FeatureSetFormat.Yaml));

        StringAssert.Contains(e.Message, "measure.warmup is 1m; allowed: less than the shape's 1m (at line 6");
    }

    [TestMethod]
    public void Parse_EmptyStages_AsksForStages()
    {
        var e = Assert.ThrowsExactly<LoadProfileException>(() => LoadProfileLoader.Parse("name: s\nshape: { kind: stages }\n", FeatureSetFormat.Yaml));

        StringAssert.Contains(e.Message, "shape.stages has 0 stages; allowed: 1 to 1000");
    }

    [TestMethod]
    public void Parse_SyntaxError_GivesPosition()
    {
        var e = Assert.ThrowsExactly<LoadProfileException>(() => LoadProfileLoader.Parse("{ \"name\": \"x\", }}", FeatureSetFormat.Json));

        StringAssert.Contains(e.Message, "JSON syntax error");
        StringAssert.Contains(e.Message, "(at line 1");
    }

    [TestMethod]
    public void Load_OtherExtension_IsRefused()
    {
        var e = Assert.ThrowsExactly<LoadProfileException>(() => LoadProfileLoader.Load("profile.toml"));

        StringAssert.Contains(e.Message, "the extension is \".toml\"; allowed: .json, .yaml or .yml");
    }

    [TestMethod]
    public void Load_EveryShippedProfile_IsValid()
    {
        string[] files = Directory.GetFiles(Path.Combine(RepositoryRoot(), "perf", "profiles"), "*.yaml");

        string[] required = ["steady", "ramp-to-saturation", "spike", "soak", "hotspot-sequential", "hotspot-bucketed"];
        CollectionAssert.IsSubsetOf(required, files.Select(Path.GetFileNameWithoutExtension).ToArray());
        foreach (string file in files)
        {
            LoadProfile profile = LoadProfileLoader.Load(file);
            Assert.AreEqual(Path.GetFileNameWithoutExtension(file), profile.Name, file);
            Assert.IsGreaterThan(0, RateSchedule.For(profile).TotalRows, file);
        }
    }

    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StreamingFeatures.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No StreamingFeatures.sln above " + AppContext.BaseDirectory);
    }
}
