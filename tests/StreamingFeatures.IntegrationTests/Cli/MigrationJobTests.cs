using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// What makes two migrate runs the same job (and names the default checkpoint): settings that change how rows are
/// numbered are in it, and settings added later stay out at their defaults so older checkpoints keep matching.
/// </summary>
[TestClass]
public sealed class MigrationJobTests
{
    private const string Bigtable = "projects/p/instances/i";

    // Computed by MigrationJob.Create on commit c63b27f, before the feature set had maxFutureSkew: an upgrade must
    // find the checkpoints that version wrote.
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

    private static MigrationSettings Files => new() { Source = "files:events/*.csv", SourceKind = SourceKind.Files, VerifyText = "full", DeadLetterFile = new FileInfo("dl.jsonl") };

    private static MigrationSettings Sample => new() { Source = "sample", SourceKind = SourceKind.Sample, SampleRows = 1000, VerifyText = "full", DeadLetterFile = new FileInfo("dl.jsonl") };

    [TestMethod]
    public void Create_DefaultMaxFutureSkew_IdIsTheOneComputedBeforeTheSettingExisted()
    {
        Assert.AreEqual(FilesIdBeforeMaxFutureSkew, MigrationJob.Create(Files, Bigtable, FeatureSet()).Id);
        Assert.AreEqual(SampleIdBeforeMaxFutureSkew, MigrationJob.Create(Sample, "projects/local/instances/local", FeatureSet()).Id);
    }

    [TestMethod]
    public void Create_DefaultMaxFutureSkewWrittenOut_SameIdAsLeftOut()
    {
        Assert.AreEqual(FilesIdBeforeMaxFutureSkew, MigrationJob.Create(Files, Bigtable, FeatureSet("maxFutureSkew: 1h")).Id);
    }

    [TestMethod]
    public void Create_NonDefaultMaxFutureSkew_IdChanges()
    {
        MigrationJob job = MigrationJob.Create(Files, Bigtable, FeatureSet("maxFutureSkew: 2h"));

        Assert.AreNotEqual(FilesIdBeforeMaxFutureSkew, job.Id);
        Assert.AreNotEqual(job.Id, MigrationJob.Create(Files, Bigtable, FeatureSet("maxFutureSkew: 0ms")).Id);
    }

    [TestMethod]
    public void Create_CsvQuotedNewlinesDiffer_IdentityDiffers()
    {
        MigrationJob lines = MigrationJob.Create(Files, Bigtable, FeatureSet());
        MigrationJob quoted = MigrationJob.Create(Files with { CsvAllowQuotedNewlines = true }, Bigtable, FeatureSet());

        Assert.AreNotEqual(lines.Id, quoted.Id);
        Assert.AreEqual("true", quoted.Identity["csvQuotedNewlines"]);
    }

    [TestMethod]
    public void Create_CsvDefaults_IdentityHasNoCsvEntry()
    {
        MigrationJob job = MigrationJob.Create(Files, Bigtable, FeatureSet());

        Assert.AreEqual(FilesIdBeforeMaxFutureSkew, job.Id);
        Assert.IsFalse(job.Identity.ContainsKey("csvQuotedNewlines"));
        Assert.IsFalse(job.Identity.ContainsKey("maxRecordBytes"));
    }

    [TestMethod]
    public void Create_QuotedNewlinesAndMaxRecordBytesDiffer_IdentityDiffers()
    {
        MigrationSettings quoted = Files with { CsvAllowQuotedNewlines = true };

        MigrationJob byDefault = MigrationJob.Create(quoted, Bigtable, FeatureSet());
        MigrationJob bounded = MigrationJob.Create(quoted with { MaxRecordBytes = 4096 }, Bigtable, FeatureSet());

        Assert.AreNotEqual(byDefault.Id, bounded.Id);
        Assert.AreEqual("4096", bounded.Identity["maxRecordBytes"]);
    }

    [TestMethod]
    public void Create_MaxRecordBytesDiffersOneRecordPerLine_SameJob()
    {
        // Without quoted newlines a record is a line whatever the bound, so offsets do not move: a rerun with a larger
        // bound (to let a dead-lettered record through next time) still resumes.
        Assert.AreEqual(MigrationJob.Create(Files, Bigtable, FeatureSet()).Id, MigrationJob.Create(Files with { MaxRecordBytes = 4096 }, Bigtable, FeatureSet()).Id);
    }

    private static FeatureSetOptions FeatureSet(string? extra = null) =>
        FeatureSetLoader.Parse(extra is null ? FeatureSetYaml : FeatureSetYaml + "\n" + extra + "\n", FeatureSetFormat.Yaml);
}
