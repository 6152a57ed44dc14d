using System.Globalization;
using System.Text.Json;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Jobs;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// What a BigQuery read costs, shown before and after reading: the session's streams and BigQuery's
/// estimated_total_bytes_scanned in the dry run's plan and the report (people and JSON), and a GoogleSQL
/// --row-restriction with OR, NOT, IN, BETWEEN and LIKE selecting exactly its rows while the estimate stays whole.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateReadCostTests
{
    private const long Rows = 10_000;

    /// <summary>Per sample row: entity_id (2 + 15 bytes), event_time and 8 INT64 features (8 bytes each).</summary>
    private const long SampleBytes = Rows * (17 + 8 + (8 * 8));

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_DryRun_PlanShowsStreamsAndEstimatedBytesScanned()
    {
        await using var workspace = MigrationWorkspace.Create("drycost");
        string[] arguments = ["migrate", "--local", "--sample-rows", "10000", "--max-streams", "3", "--table", workspace.Table.Id, "--dry-run", "--checkpoint", "none"];

        CliResult people = await workspace.RunAsync(arguments, MigrationWorkspace.SharedEmulator, Cancellation);
        CliResult json = await workspace.RunAsync([.. arguments, "--log-format", "json"], MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(0, people.Code, people.Output);
        MigrateAssert.OutputContains(people, ", 3 streams");
        MigrateAssert.OutputContains(people, "estimated scan");
        MigrateAssert.OutputContains(people, "869.1 KiB (890,000 bytes) for about 10,000 rows");
        Assert.AreEqual(0, json.Code, json.Output);
        JsonElement plan = JsonLine(json.StandardOutput, "plan");
        Assert.AreEqual(3, plan.GetProperty("streams").GetInt32(), plan.ToString());
        Assert.AreEqual(SampleBytes, plan.GetProperty("estimatedBytesScanned").GetInt64(), plan.ToString());
        Assert.AreEqual(Rows, plan.GetProperty("estimatedRows").GetInt64(), plan.ToString());
        Assert.IsFalse(await workspace.Table.ExistsAsync(Cancellation), "a dry run writes nothing");
    }

    [TestMethod]
    public async Task Migrate_RowRestrictionWithOrNotInBetweenLike_WritesExactlyTheMatchingRowsAndReportsTheScan()
    {
        const string Restriction =
            "(MOD(f0, 4) IN (1, -1) OR entity_id LIKE 'user-00000001%') AND NOT f1 BETWEEN 0 AND 4611686018427387904 "
            + "AND event_time IS NOT NULL";
        SyntheticSource sample = SourceSpec.Sample(Rows);
        long expected = Enumerable.Range(0, (int)Rows).LongCount(r =>
        {
            long f0 = sample.Int64Value(r, 0);
            long f1 = sample.Int64Value(r, 1);
            return (f0 % 4 is 1 or -1 || SyntheticSource.EntityId(sample.EntityOf(r)).StartsWith("user-00000001", StringComparison.Ordinal))
                && !(f1 >= 0 && f1 <= 4611686018427387904);
        });
        await using var workspace = MigrationWorkspace.Create("grammar");

        CliResult result = await workspace.RunAsync(
            ["migrate", "--local", "--sample-rows", Rows.ToString(CultureInfo.InvariantCulture), "--max-streams", "2", "--table", workspace.Table.Id,
             "--row-restriction", Restriction, "--summary-json", "s.json", "--checkpoint", "none"],
            MigrationWorkspace.SharedEmulator,
            Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        MigrationSummary summary = workspace.ReadSummary("s.json");
        string json = summary.ToJson();
        Assert.IsGreaterThan(0L, expected);
        Assert.IsLessThan(Rows, expected);
        Assert.AreEqual(expected, summary.RowsRead, json);
        Assert.AreEqual(expected, summary.RowsVerified, json);
        Assert.AreEqual(0, summary.Missing + summary.Mismatches + summary.DeadLettered, json);
        Assert.AreEqual(expected, await workspace.Table.CountRowsAsync(Cancellation));
        Assert.IsNotNull(summary.ReadSession, json);
        Assert.AreEqual(2, summary.ReadSession.Streams, json);
        Assert.AreEqual(SampleBytes, summary.ReadSession.EstimatedBytesScanned, "a restriction filters after the scan: the estimate is the whole columns");
        MigrateAssert.OutputContains(result, "in the BigQuery read session");
        MigrateAssert.OutputContains(result, "bytes, BigQuery's estimate (869.1 KiB");
    }

    private static JsonElement JsonLine(string output, string property)
    {
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty(property, out JsonElement value))
            {
                return value.Clone();
            }
        }

        throw new AssertFailedException($"No '{property}' line in: {output}");
    }
}
