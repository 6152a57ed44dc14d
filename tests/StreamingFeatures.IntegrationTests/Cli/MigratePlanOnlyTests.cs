using System.Text.RegularExpressions;
using StreamingFeatures.IntegrationTests.Cli.Shards;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// <c>migrate --plan-only</c>, the Airflow DAG's plan step: it records the shards' read session in the Bigtable
/// checkpoint table and reads nothing; the shards started after it read that session, so the table is read once.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed partial class MigratePlanOnlyTests
{
    private const long Rows = 4_000;
    private const int Shards = 2;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_PlanOnlyThenShards_ShardsReadTheRecordedSessionOnce()
    {
        await using SharedSessionShards shards = await SharedSessionShards.StartAsync("planonly", Rows, Shards, servedRowsPerSecond: 0, Cancellation);
        MigrationWorkspace workspace = shards.Workspace;
        IReadOnlyDictionary<string, string> environment = shards.Environment;
        string[] Arguments(int shard) => shards.Arguments(shard, "--log-format", "json");

        CliResult plan = await workspace.RunAsync([.. Arguments(0), "--plan-only"], environment, Cancellation);

        Assert.AreEqual(0, plan.Code, plan.Output);
        MigrateAssert.OutputContains(plan, "Plan only");
        string session = Session(plan);
        Assert.AreEqual(0, await workspace.Table.CountRowsAsync(Cancellation), "the plan step writes no row");
        Assert.IsFalse(File.Exists(workspace.PathOf("s0.json")), "the plan step migrates nothing, so it reports nothing");

        // Shard 1 first: had the plan step recorded nothing, it would claim the session's creation itself.
        CliResult[] runs = [await workspace.RunAsync(Arguments(1), environment, Cancellation), await workspace.RunAsync(Arguments(0), environment, Cancellation)];
        foreach (CliResult shard in runs)
        {
            Assert.AreEqual(0, shard.Code, shard.Output);
            Assert.AreEqual(session, Session(shard), "every shard reads the session the plan step recorded");
        }

        CliResult again = await workspace.RunAsync([.. Arguments(0), "--plan-only"], environment, Cancellation);
        Assert.AreEqual(0, again.Code, again.Output);
        Assert.AreEqual(session, Session(again), "a rerun of the plan step finds the recorded session and creates none");

        await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);
        RowsServed served = await shards.BigQuery.StopAsync(Cancellation);
        Assert.AreEqual(1, served.Sessions, served.Text);
        Assert.AreEqual(Rows, served.Total, "the table is read once, by the shards:" + Environment.NewLine + served.Text);
    }

    private static string Session(CliResult result)
    {
        Match match = SessionInPlan().Match(result.StandardOutput);
        Assert.IsTrue(match.Success, result.Output);
        return match.Groups[1].Value;
    }

    [GeneratedRegex("\"session\":\"([^\"]+)\"")]
    private static partial Regex SessionInPlan();
}
