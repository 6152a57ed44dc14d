using System.Globalization;
using StreamingFeatures.IntegrationTests.Cli;

namespace StreamingFeatures.IntegrationTests.Faults;

/// <summary>
/// <c>migrate</c> with Bigtable behind a proxy that refuses, resets or stalls connections for a few seconds while rows
/// are written and read back: every call rides through, every row lands verified, the checkpoint (in Bigtable) is kept.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateBigtableOutageTests
{
    private const long Rows = 30_000;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    [DataRow(ProxyMode.Refuse)]
    [DataRow(ProxyMode.Reset)]
    [DataRow(ProxyMode.Stall)]
    public async Task Migrate_BigtableOutageOfThreeSeconds_EveryRowLandsVerified(ProxyMode mode)
    {
        await using var workspace = MigrationWorkspace.Create("outage");
        await using var proxy = FaultProxy.Start(EmulatorFixture.Bigtable.Endpoint);
        string checkpointTable = EmulatorFixture.UniqueName("ckpt");
        using CliProcess cli = workspace.Start(Arguments(workspace, checkpointTable), Through(proxy));

        // Mid-run: the table exists, writes and read-backs are flowing.
        await cli.WaitUntilAsync(() => Task.FromResult(proxy.Forwarded > 1_000_000), "a megabyte through the proxy", TimeSpan.FromSeconds(60), Cancellation);
        await proxy.OutageAsync(mode, TimeSpan.FromSeconds(3), Cancellation);
        CliResult result = await cli.WaitAsync(Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        Assert.IsTrue(proxy.ResetConnections + proxy.Refused > 0 || mode == ProxyMode.Stall, "the outage must have hit connections");
        MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), Rows, runs: 1);
        await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);
    }

    [TestMethod]
    public async Task Migrate_BigtableOutageLongerThanTheDeadline_FailsNamingTheCall()
    {
        await using var workspace = MigrationWorkspace.Create("outage");
        await using var proxy = FaultProxy.Start(EmulatorFixture.Bigtable.Endpoint);
        using CliProcess cli = workspace.Start([.. Arguments(workspace, checkpointTable: null), "--retry-deadline", "3"], Through(proxy));

        await cli.WaitUntilAsync(() => Task.FromResult(proxy.Forwarded > 1_000_000), "a megabyte through the proxy", TimeSpan.FromSeconds(60), Cancellation);
        proxy.Set(ProxyMode.Refuse);
        CliResult result = await cli.WaitAsync(Cancellation);

        TestContext.WriteLine(result.Output);
        Assert.AreEqual(1, result.Code, result.Output);
        OutageAssert.GaveUp(result, @"Bigtable (MutateRows|ReadRows \(read-back of \d+ rows\)) on table '" + workspace.Table.Id + "'", maxSeconds: 3);
    }

    private static string[] Arguments(MigrationWorkspace workspace, string? checkpointTable) =>
    [
        "migrate", "--local", "--sample-rows", Rows.ToString(CultureInfo.InvariantCulture), "--table", workspace.Table.Id,
        "--summary-json", "s.json", "--dead-letter", "dl.jsonl", "--checkpoint-interval", "0.5",
        .. checkpointTable is null ? Array.Empty<string>() : ["--checkpoint", "bigtable:" + checkpointTable],
    ];

    private static Dictionary<string, string> Through(FaultProxy proxy) => new() { [CliProcess.BigtableHostVariable] = proxy.Endpoint };
}
