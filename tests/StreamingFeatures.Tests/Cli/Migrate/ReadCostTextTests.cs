using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Jobs;
using StreamingFeatures.Sources.BigQuery;

namespace StreamingFeatures.Tests.Cli.Migrate;

/// <summary>The read cost as the plan and report print it, and the --arrow-compression setting on its way to the job.</summary>
[TestClass]
public sealed class ReadCostTextTests
{
    [TestMethod]
    [DataRow(0L, "0 bytes")]
    [DataRow(1023L, "1023 bytes")]
    [DataRow(1024L, "1.0 KiB")]
    [DataRow(890_000L, "869.1 KiB")]
    [DataRow(1_610_612_736L, "1.5 GiB")]
    [DataRow(3L * 1024 * 1024 * 1024 * 1024, "3.0 TiB")]
    public void Bytes_Value_InTheLargestBinaryUnit(long bytes, string expected) => Assert.AreEqual(expected, MigrationRunner.Bytes(bytes));

    [TestMethod]
    public void ScanEstimate_Estimated_NamesBytesRowsAndBilling() => Assert.AreEqual(
        "869.1 KiB (890,000 bytes) for about 10,000 rows; on-demand pricing bills the bytes scanned",
        MigrationRunner.ScanEstimate(890_000, 10_000));

    [TestMethod]
    public void ScanEstimate_NoEstimate_SaysSo() => Assert.AreEqual("not estimated by the service", MigrationRunner.ScanEstimate(0, 10));

    [TestMethod]
    [DataRow("lz4", BigQueryArrowCompression.Lz4Frame)]
    [DataRow(" LZ4 ", BigQueryArrowCompression.Lz4Frame)]
    [DataRow("none", BigQueryArrowCompression.None)]
    public void ParseArrowCompression_Known_Parses(string text, BigQueryArrowCompression expected) =>
        Assert.AreEqual(expected, MigrationSettings.ParseArrowCompression(text));

    [TestMethod]
    [DataRow("zstd")]
    [DataRow("")]
    public void ParseArrowCompression_Unknown_IsNull(string text) => Assert.IsNull(MigrationSettings.ParseArrowCompression(text));

    [TestMethod]
    public void ToJobOptions_ArrowCompressionNone_ReachesTheJobButNotItsIdentity()
    {
        MigrationSettings lz4 = Settings(BigQueryArrowCompression.Lz4Frame);
        MigrationSettings none = Settings(BigQueryArrowCompression.None);

        MigrationJobOptions options = none.ToJobOptions(FeatureSet(), "projects/p/instances/i");

        Assert.AreEqual(BigQueryArrowCompression.None, options.ArrowCompression);
        Assert.AreEqual(
            MigrationIdentity.Create(lz4.ToJobOptions(FeatureSet(), "projects/p/instances/i")).Id,
            MigrationIdentity.Create(options).Id,
            "the same rows either way: a run may resume with the other setting");
    }

    [TestMethod]
    public void ReadSessionFigures_Session_CarriesStreamsAndEstimates()
    {
        var session = new BigQueryReadSessionInfo("projects/p/locations/us/sessions/s", null, ["a", "b", "c"], null, 10_000, 890_000);

        Assert.AreEqual(new ReadSessionFigures("projects/p/locations/us/sessions/s", 3, 10_000, 890_000), ReadSessionFigures.Of(session));
        Assert.IsNull(ReadSessionFigures.Of((BigQueryReadSessionInfo?)null));
    }

    private static MigrationSettings Settings(BigQueryArrowCompression compression) => new()
    {
        Source = "bigquery:projects/p/datasets/d/tables/t",
        SourceKind = SourceKind.BigQuery,
        BigQueryTable = "projects/p/datasets/d/tables/t",
        VerifyText = "full",
        DeadLetterFile = new FileInfo("dl.jsonl"),
        ArrowCompression = compression,
    };

    private static FeatureSetOptions FeatureSet() => FeatureSetLoader.Parse(
        """
        table: user_features
        entityKey: user_id
        eventTime: event_time
        families:
          f:
            maxVersions: 1
        features:
          - name: clicks
            family: f
            type: int64
        """,
        FeatureSetFormat.Yaml);
}
