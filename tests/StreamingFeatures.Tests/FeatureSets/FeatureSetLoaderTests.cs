using System.Text.Json;
using StreamingFeatures.FeatureSets;
using static StreamingFeatures.Tests.FeatureSets.FeatureSetTestData;

namespace StreamingFeatures.Tests.FeatureSets;

[TestClass]
public sealed class FeatureSetLoaderTests
{
    [TestMethod]
    public void Load_YamlSample_ReturnsExpectedOptions()
    {
        FeatureSetOptions options = FeatureSetLoader.Load(SamplePath("user-features.yaml"));

        Assert.AreEqual("user_features", options.Table);
        CollectionAssert.AreEqual(new[] { "user_id" }, options.EntityKey);
        Assert.AreEqual("event_time", options.EventTime);
        Assert.AreEqual(NullHandling.Skip, options.Nulls);
        Assert.HasCount(2, options.Families);
        Assert.AreEqual(1, options.Families["f"].MaxVersions);
        Assert.IsNull(options.Families["f"].MaxAge);
        Assert.AreEqual(3, options.Families["agg"].MaxVersions);
        Assert.AreEqual(TimeSpan.FromDays(30), options.Families["agg"].MaxAge);
        Assert.IsTrue(options.RowKey.BucketPrefix);
        Assert.AreEqual(64, options.RowKey.Buckets);
        Assert.AreEqual("#", options.RowKey.Delimiter);
        Assert.IsFalse(options.RowKey.ReversedTimeSuffix);
        Assert.HasCount(8, options.Features);
        CollectionAssert.AreEquivalent(
            new[] { FeatureType.Int64, FeatureType.Float64, FeatureType.Bool, FeatureType.String, FeatureType.Timestamp },
            options.Features.Select(f => f.Type).Distinct().ToArray());

        FeatureOptions age = options.Features[1];
        Assert.AreEqual("age", age.Name);
        Assert.AreEqual("age_years", age.SourceColumn);
        Assert.AreEqual("f", age.Family);
        Assert.AreEqual("age", age.ColumnQualifier);
        Assert.AreEqual(FeatureType.Int64, age.Type);
        Assert.IsTrue(age.Nullable);

        FeatureOptions spend = options.Features[6];
        Assert.AreEqual("spend_30d_usd", spend.SourceColumn);
        Assert.AreEqual("agg", spend.Family);
        Assert.AreEqual("spend_30d", spend.ColumnQualifier);
        Assert.AreEqual(FeatureType.Float64, spend.Type);
        Assert.IsFalse(spend.Nullable);
    }

    [TestMethod]
    public void Load_JsonAndYamlSamples_LoadIdentically()
    {
        FeatureSetOptions yaml = FeatureSetLoader.Load(SamplePath("user-features.yaml"));
        FeatureSetOptions json = FeatureSetLoader.Load(SamplePath("user-features.json"));

        Assert.AreEqual(JsonSerializer.Serialize(yaml), JsonSerializer.Serialize(json));
    }

    [TestMethod]
    [DataRow("features.toml", "\".toml\"")]
    [DataRow("features", "empty")]
    public void Load_UnsupportedExtension_NamesPathAndAllowedExtensions(string fileName, string shown)
    {
        var error = Assert.ThrowsExactly<FeatureSetException>(() => FeatureSetLoader.Load(fileName));

        StringAssert.Contains(error.Message, $"Feature set file '{fileName}' is invalid");
        Assert.AreEqual($"the extension is {shown}; allowed: .json, .yaml or .yml", error.Errors[0]);
    }

    [TestMethod]
    public void Load_MissingFile_NamesPath()
    {
        string path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "missing.yaml");

        var error = Assert.ThrowsExactly<FeatureSetException>(() => FeatureSetLoader.Load(path));

        StringAssert.Contains(error.Message, $"Feature set file '{path}'");
        Assert.AreEqual($"the file {path} does not exist", error.Errors[0]);
        Assert.IsInstanceOfType<DirectoryNotFoundException>(error.InnerException);
    }

    [TestMethod]
    public void Load_UpperCaseYmlExtension_ReadsYaml()
    {
        string path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".YML");
        File.Copy(SamplePath("user-features.yaml"), path);
        try
        {
            Assert.HasCount(8, FeatureSetLoader.Load(path).Features);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void Load_InvalidFile_HeaderNamesFileAndErrorsCarryPositions()
    {
        string path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, File.ReadAllText(SamplePath("user-features.yaml")).Replace("buckets: 64", "buckets: 0", StringComparison.Ordinal));
        try
        {
            var error = Assert.ThrowsExactly<FeatureSetException>(() => FeatureSetLoader.Load(path));

            StringAssert.StartsWith(error.Message, $"Feature set file '{path}' is invalid (1 error):");
            Assert.AreEqual("rowKey.buckets is 0; allowed: 1 to 65,536 (at line 19, column 3)", error.Errors[0]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void Load_EmptyPath_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => FeatureSetLoader.Load(""));
    }

    [TestMethod]
    public void Parse_UndefinedFormat_Throws()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FeatureSetLoader.Parse("{}", (FeatureSetFormat)9));
    }
}
