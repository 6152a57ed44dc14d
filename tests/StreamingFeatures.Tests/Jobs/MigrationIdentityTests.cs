using StreamingFeatures.FeatureSets;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.Tests.Jobs;

/// <summary>
/// What makes two migrate runs the same job (and names the default checkpoint): settings that change how rows are
/// numbered are in it, and settings added later stay out at their defaults so older checkpoints keep matching.
/// </summary>
[TestClass]
public sealed class MigrationIdentityTests
{
    private const string Bigtable = "projects/p/instances/i";

    // Computed by MigrationJob.Create (now MigrationIdentity.Create) on commit c63b27f, before the feature set had
    // maxFutureSkew: an upgrade must find the checkpoints that version wrote.
    private const string FilesIdBeforeMaxFutureSkew = "user_features-c6a1c06a";
    private const string SampleIdBeforeMaxFutureSkew = "user_features-1e5e5f5d";

    private const string FeatureSetYaml = """
        table: user_features
        entityKey: [user_id, region]
        eventTime: event_time
        families:
          f:
            maxVersions: 3
            maxAge: 30d
        features:
          - name: clicks
            family: f
            type: int64
          - name: note
            column: comment
            family: f
            type: string
        """;

    private static readonly MigrationSource.Files s_csvFiles = new("events/*.csv");

    [TestMethod]
    public void Create_DefaultMaxFutureSkew_IdIsTheOneComputedBeforeTheSettingExisted()
    {
        Assert.AreEqual(FilesIdBeforeMaxFutureSkew, MigrationIdentity.Create(Options(s_csvFiles, Bigtable, FeatureSet())).Id);
        Assert.AreEqual(SampleIdBeforeMaxFutureSkew, MigrationIdentity.Create(Options(new MigrationSource.Sample(1000), "projects/local/instances/local", FeatureSet())).Id);
    }

    [TestMethod]
    public void Create_DefaultMaxFutureSkewWrittenOut_SameIdAsLeftOut()
    {
        Assert.AreEqual(FilesIdBeforeMaxFutureSkew, MigrationIdentity.Create(Options(s_csvFiles, Bigtable, FeatureSet("maxFutureSkew: 1h"))).Id);
    }

    [TestMethod]
    public void Create_NonDefaultMaxFutureSkew_IdChanges()
    {
        MigrationIdentity job = MigrationIdentity.Create(Options(s_csvFiles, Bigtable, FeatureSet("maxFutureSkew: 2h")));

        Assert.AreNotEqual(FilesIdBeforeMaxFutureSkew, job.Id);
        Assert.AreNotEqual(job.Id, MigrationIdentity.Create(Options(s_csvFiles, Bigtable, FeatureSet("maxFutureSkew: 0ms"))).Id);
    }

    [TestMethod]
    public void Create_CsvQuotedNewlinesDiffer_IdentityDiffers()
    {
        MigrationIdentity lines = MigrationIdentity.Create(Options(s_csvFiles, Bigtable, FeatureSet()));
        MigrationIdentity quoted = MigrationIdentity.Create(Options(s_csvFiles with { CsvAllowQuotedNewlines = true }, Bigtable, FeatureSet()));

        Assert.AreNotEqual(lines.Id, quoted.Id);
        Assert.AreEqual("true", quoted.Identity["csvQuotedNewlines"]);
    }

    [TestMethod]
    public void Create_CsvDefaults_IdentityHasNoCsvEntry()
    {
        MigrationIdentity job = MigrationIdentity.Create(Options(s_csvFiles, Bigtable, FeatureSet()));

        Assert.AreEqual(FilesIdBeforeMaxFutureSkew, job.Id);
        Assert.IsFalse(job.Identity.ContainsKey("csvQuotedNewlines"));
        Assert.IsFalse(job.Identity.ContainsKey("maxRecordBytes"));
    }

    [TestMethod]
    public void Create_QuotedNewlinesAndMaxRecordBytesDiffer_IdentityDiffers()
    {
        MigrationSource.Files quoted = s_csvFiles with { CsvAllowQuotedNewlines = true };

        MigrationIdentity byDefault = MigrationIdentity.Create(Options(quoted, Bigtable, FeatureSet()));
        MigrationIdentity bounded = MigrationIdentity.Create(Options(quoted with { MaxRecordBytes = 4096 }, Bigtable, FeatureSet()));

        Assert.AreNotEqual(byDefault.Id, bounded.Id);
        Assert.AreEqual("4096", bounded.Identity["maxRecordBytes"]);
    }

    [TestMethod]
    public void Create_MaxRecordBytesDiffersOneRecordPerLine_SameJob()
    {
        // Without quoted newlines a record is a line whatever the bound, so offsets do not move: a rerun with a larger
        // bound (to let a dead-lettered record through next time) still resumes.
        Assert.AreEqual(MigrationIdentity.Create(Options(s_csvFiles, Bigtable, FeatureSet())).Id, MigrationIdentity.Create(Options(s_csvFiles with { MaxRecordBytes = 4096 }, Bigtable, FeatureSet())).Id);
    }

    private static MigrationJobOptions Options(MigrationSource source, string bigtable, FeatureSetOptions featureSet) =>
        new() { Source = source, FeatureSet = featureSet, Target = bigtable, VerifyText = "full", DeadLetterFile = "dl.jsonl" };

    private static FeatureSetOptions FeatureSet(string? extra = null) =>
        FeatureSetLoader.Parse(extra is null ? FeatureSetYaml : FeatureSetYaml + "\n" + extra + "\n", FeatureSetFormat.Yaml);
}
