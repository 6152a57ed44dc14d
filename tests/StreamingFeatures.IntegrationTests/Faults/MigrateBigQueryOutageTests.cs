using System.Globalization;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.IntegrationTests.Cli;

namespace StreamingFeatures.IntegrationTests.Faults;

/// <summary>
/// <c>migrate</c> reading a BigQuery table through the Storage Read API behind a proxy that refuses, resets or stalls
/// connections for a few seconds mid-read: the streams resume at their offsets, every row lands once, verified.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateBigQueryOutageTests
{
    private const long Rows = 30_000;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    [DataRow(ProxyMode.Refuse)]
    [DataRow(ProxyMode.Reset)]
    [DataRow(ProxyMode.Stall)]
    public async Task Migrate_BigQueryOutageOfThreeSeconds_EveryRowLandsVerified(ProxyMode mode)
    {
        await using var workspace = MigrationWorkspace.Create("bqout");
        await using BigQueryStorageEmulator bigQuery = await StartBigQueryAsync();
        await using var proxy = FaultProxy.Start(bigQuery.Endpoint);
        using CliProcess cli = workspace.Start(Arguments(workspace), Environment(proxy));

        await cli.WaitUntilAsync(() => Task.FromResult(proxy.Forwarded > 300_000), "rows read through the proxy", TimeSpan.FromSeconds(60), Cancellation);
        await proxy.OutageAsync(mode, TimeSpan.FromSeconds(3), Cancellation);
        CliResult result = await cli.WaitAsync(Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), Rows, runs: 1);
        await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);
    }

    [TestMethod]
    public async Task Migrate_BigQueryUnreachablePastTheDeadline_FailsNamingTheCall()
    {
        await using var workspace = MigrationWorkspace.Create("bqout");
        await using BigQueryStorageEmulator bigQuery = await StartBigQueryAsync();
        await using var proxy = FaultProxy.Start(bigQuery.Endpoint);
        proxy.Set(ProxyMode.Refuse);

        CliResult result = await workspace.RunAsync([.. Arguments(workspace), "--retry-deadline", "2"], Environment(proxy), Cancellation);

        Assert.AreEqual(1, result.Code, result.Output);
        OutageAssert.GaveUp(result, "BigQuery CreateReadSession on table 'projects/p/datasets/d/tables/t'", maxSeconds: 2);
        Assert.IsGreaterThan(0, proxy.Refused, "the calls went through the proxy");
        TestContext.WriteLine(result.Output);
    }

    private async Task<BigQueryStorageEmulator> StartBigQueryAsync()
    {
        BigQueryStorageEmulator bigQuery = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), Cancellation);
        bigQuery.AddTable("p", "d", "t", SourceSpec.Sample(Rows));
        return bigQuery;
    }

    private static string[] Arguments(MigrationWorkspace workspace)
    {
        FeatureSetFile.WriteSynthetic(workspace.PathOf("features.yaml"), "ignored_by_table_flag", features: 8);
        return
        [
            "migrate", "--source", "bigquery:projects/p/datasets/d/tables/t", "--feature-set", "features.yaml", "--table", workspace.Table.Id,
            "--summary-json", "s.json", "--dead-letter", "dl.jsonl", "--read-streams", "4", "--max-streams", 4.ToString(CultureInfo.InvariantCulture),
        ];
    }

    private static Dictionary<string, string> Environment(FaultProxy proxy) => new(MigrationWorkspace.SharedEmulator)
    {
        [CliProcess.BigQueryHostVariable] = proxy.Endpoint,
    };
}
