using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.Tests.Cli.Migrate;

[TestClass]
public sealed class MigrationSettingsJobTests
{
    [TestMethod]
    [DataRow("bigquery:my-proj.sales.daily")]
    [DataRow("bigquery:my-proj:sales.daily")]
    [DataRow("bigquery:projects/my-proj/datasets/sales/tables/daily")]
    public void ToJobOptions_BigQuerySource_IdentityKeepsTheSourceAsTyped(string source)
    {
        // Before the job moved into the engine, the identity held the --source text itself: a short form must keep
        // naming the same job, or an upgrade would start a resumable migration over.
        MigrationSettings settings = new()
        {
            Source = source,
            SourceKind = SourceKind.BigQuery,
            BigQueryTable = "projects/my-proj/datasets/sales/tables/daily",
            VerifyText = "full",
            DeadLetterFile = new FileInfo("dl.jsonl"),
        };

        MigrationJobOptions options = settings.ToJobOptions(FeatureSet(), "projects/p/instances/i");

        Assert.AreEqual("projects/my-proj/datasets/sales/tables/daily", ((MigrationSource.BigQuery)options.Source).Table);
        Assert.AreEqual(source, MigrationIdentity.Create(options).Identity["source"]);
    }

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
