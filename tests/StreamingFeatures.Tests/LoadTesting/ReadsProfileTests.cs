using StreamingFeatures.FeatureSets;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Tests.LoadTesting;

/// <summary>The reads section of a profile: bound with its defaults, every bad value named with its path and what is allowed.</summary>
[TestClass]
public sealed class ReadsProfileTests
{
    private const string Serve = """
        name: serve
        target: serve
        shape:
          kind: steady
          rate: 1000
          duration: 2s
        keys:
          distribution: sequential
          keySpace: 2000
        reads:
          shape:
            kind: steady
            rate: 100
            duration: 3s
        """;

    [TestMethod]
    public void Parse_ServeWithReads_AppliesDefaultsAndTheWritesKeySpace()
    {
        LoadProfile profile = LoadProfileLoader.Parse(Serve, FeatureSetFormat.Yaml);

        Assert.AreEqual(LoadTarget.Serve, profile.Target);
        Assert.IsNotNull(profile.Reads);
        Assert.AreEqual(100, profile.Reads.Shape.Rate);
        Assert.AreEqual(1, profile.Reads.BatchSize);
        Assert.AreEqual(64, profile.Reads.MaxInFlight);
        Assert.AreEqual(LoadKeyDistribution.Uniform, profile.Reads.Keys.Distribution);
        Assert.AreEqual(2000, profile.Reads.Keys.KeySpace, "reads draw from the entities the writes load");
        Assert.IsEmpty(profile.Reads.Features);
    }

    [TestMethod]
    public void Parse_EveryReadsSetting_IsRead()
    {
        string text = Serve + "\n  batchSize: 25\n  maxInFlight: 8\n  seed: 9\n  features: [f1, f0]\n  keys:\n    distribution: zipf\n    zipfExponent: 1.3\n    keySpace: 500\n    hotKeyShare: 0.1\n    hotKeys: 3\n";

        LoadReads reads = LoadProfileLoader.Parse(text, FeatureSetFormat.Yaml).Reads!;

        Assert.AreEqual(25, reads.BatchSize);
        Assert.AreEqual(8, reads.MaxInFlight);
        Assert.AreEqual(9, reads.Seed);
        CollectionAssert.AreEqual(new[] { "f1", "f0" }, reads.Features);
        Assert.AreEqual(LoadKeyDistribution.Zipf, reads.Keys.Distribution);
        Assert.AreEqual(1.3, reads.Keys.ZipfExponent);
        Assert.AreEqual(500, reads.Keys.KeySpace);
        Assert.AreEqual(0.1, reads.Keys.HotKeyShare);
        Assert.AreEqual(3, reads.Keys.HotKeys);
    }

    [TestMethod]
    [DataRow("  batchSize: 0", "reads.batchSize is 0; allowed: 1 to 1000")]
    [DataRow("  batchSize: 5000", "reads.batchSize is 5000; allowed: 1 to 1000")]
    [DataRow("  maxInFlight: 0", "reads.maxInFlight is 0; allowed: 1 to 10000")]
    [DataRow("  features: [f9]", "reads.features[0] is \"f9\"; allowed: a feature of the rows, f0 to f7")]
    [DataRow("  features: [f1, f1]", "reads.features[1] is \"f1\"; allowed: each feature once")]
    [DataRow("  keys:\n    zipfExponent: 0", "reads.keys.zipfExponent is 0; allowed: above 0, at most 10")]
    [DataRow("  keys:\n    hotKeyShare: 1.5", "reads.keys.hotKeyShare is 1.5; allowed: 0 to 1")]
    [DataRow("  keys:\n    keySpace: 3000", "reads.keys.keySpace is 3000; allowed: 1 to keys.keySpace (2000), the entities the writes load")]
    [DataRow("  batchsize: 3", "reads.batchsize")]
    public void Parse_BadReadsSetting_NamesPathValueAndAllowed(string line, string expected)
    {
        var e = Assert.ThrowsExactly<LoadProfileException>(() => LoadProfileLoader.Parse(Serve + "\n" + line + "\n", FeatureSetFormat.Yaml));

        Assert.HasCount(1, e.Errors, string.Join(" | ", e.Errors));
        StringAssert.Contains(e.Errors[0], expected);
    }

    [TestMethod]
    public void Parse_ReadsShapeWithoutRate_NamesTheReadsPath()
    {
        var e = Assert.ThrowsExactly<LoadProfileException>(() => LoadProfileLoader.Parse(Serve.Replace("    rate: 100\n", string.Empty, StringComparison.Ordinal), FeatureSetFormat.Yaml));

        Assert.HasCount(1, e.Errors, string.Join(" | ", e.Errors));
        StringAssert.Contains(e.Errors[0], "reads.shape.rate is missing; a steady shape needs it");
    }

    [TestMethod]
    public void Parse_ServeWithoutReads_IsRefused()
    {
        string text = Serve[..Serve.IndexOf("reads:", StringComparison.Ordinal)];

        var e = Assert.ThrowsExactly<LoadProfileException>(() => LoadProfileLoader.Parse(text, FeatureSetFormat.Yaml));

        StringAssert.Contains(e.Errors[0], "reads is missing; target serve needs it");
    }

    [TestMethod]
    public void Parse_IngestWithReads_IsRefused()
    {
        var e = Assert.ThrowsExactly<LoadProfileException>(() => LoadProfileLoader.Parse(Serve.Replace("target: serve", "target: ingest", StringComparison.Ordinal), FeatureSetFormat.Yaml));

        StringAssert.Contains(e.Errors[0], "reads is set, but target ingest measures a running service's writes only");
    }

    [TestMethod]
    [DataRow("serve-read.yaml", LoadTarget.Serve, false)]
    [DataRow("mixed-read-write.yaml", LoadTarget.Synthetic, true)]
    public void Load_ShippedReadProfiles_AreValid(string file, LoadTarget target, bool hasFeatures)
    {
        string root = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(root, "perf", "profiles")))
        {
            root = Path.GetDirectoryName(root) ?? throw new AssertInconclusiveException("perf/profiles not found above the test binaries");
        }

        LoadProfile profile = LoadProfileLoader.Load(Path.Combine(root, "perf", "profiles", file));

        Assert.AreEqual(target, profile.Target);
        Assert.IsNotNull(profile.Reads);
        Assert.AreEqual(LoadKeyDistribution.Zipf, profile.Reads.Keys.Distribution);
        Assert.AreEqual(hasFeatures, profile.Reads.Features.Count > 0);
    }
}
