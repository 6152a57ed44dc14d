using System.Globalization;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.IntegrationTests.Cli.Shards;

/// <summary>
/// Two <c>migrate</c> shard processes sharing one read session of three streams: shard 0 owns two (twice the rows)
/// and reads them one at a time, so shard 1 finishes first and takes over the tail of shard 0's stream
/// (SplitReadStream, recorded in the split log of the <c>bigtable:TABLE</c> store). Every row lands once and the
/// emulator serves about the table's rows, also when shard 0 is SIGKILLed after a split and run again.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateWorkStealingTests
{
    private const long Rows = 40_000;
    private const int Straggler = 0;
    private const int Early = 1;

    // A split proves rows past the reader's offset by reading one response of the primary; an abandoned one reads it again.
    private const long ResponseRows = 1_024;

    // Switching to the primary keeps the responses the original call had received, but drops the one still arriving
    // (and whatever the server buffered): measured one response per switch at this pace; three allowed.
    internal const long ReadAheadRows = 3 * ResponseRows;

    // Each ReadRows call is served at this pace, so a stream takes ~9 s whatever the machine's load: the early shard
    // asks for work while the straggler still reads (a split is always possible), and no shard reads far ahead.
    private const int ServedRowsPerSecond = 1_500;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_EarlyShardTakesOverStragglersTail_EveryRowOnceReadOnce()
    {
        await RunAsync(killAfterSplit: false);
    }

    [TestMethod]
    public async Task Migrate_StragglerKilledAfterASplitAndRerun_EveryRowOnce()
    {
        await RunAsync(killAfterSplit: true);
    }

    private async Task RunAsync(bool killAfterSplit)
    {
        await using SharedSessionShards shards = await SharedSessionShards.StartAsync(killAfterSplit ? "stealkill" : "steal", Rows, shardCount: 2, ServedRowsPerSecond, Cancellation);
        MigrationWorkspace workspace = shards.Workspace;
        TargetTable checkpoints = shards.Checkpoints;
        IReadOnlyDictionary<string, string> environment = shards.Environment;
        string[] Arguments(int shard) => shards.Arguments(
            shard, "--max-streams", "3", "--read-streams", "1", "--checkpoint-interval", "0.2", "--dead-letter", string.Create(CultureInfo.InvariantCulture, $"dl{shard}.jsonl"));

        CliResult early;
        CliResult straggler;
        if (killAfterSplit)
        {
            Task<CliResult> earlyRun;
            using (CliProcess victim = workspace.Start(Arguments(Straggler), environment))
            {
                earlyRun = workspace.RunAsync(Arguments(Early), environment, Cancellation);
                await victim.WaitUntilAsync(
                    async () => (await SplitLogCells.SplitsAsync(checkpoints, Cancellation)).Any(s => s.Owner == Straggler),
                    "a split of the straggler's stream in the log",
                    TimeSpan.FromMinutes(1),
                    Cancellation);
                victim.Kill(entireProcessTree: true);
                Assert.AreEqual(137, victim.ExitCode, victim.Output);
            }

            straggler = await workspace.RunAsync(Arguments(Straggler), environment, Cancellation);
            early = await earlyRun;
        }
        else
        {
            CliResult[] results = await Task.WhenAll(workspace.RunAsync(Arguments(Straggler), environment, Cancellation), workspace.RunAsync(Arguments(Early), environment, Cancellation));
            (straggler, early) = (results[0], results[1]);
        }

        Assert.AreEqual(0, straggler.Code, straggler.Output);
        Assert.AreEqual(0, early.Code, early.Output);
        MigrationSummary[] summaries = [workspace.ReadSummary(SharedSessionShards.Summary(Straggler)), workspace.ReadSummary(SharedSessionShards.Summary(Early))];
        Assert.AreEqual(Rows, summaries.Sum(s => s.RowsRead), string.Join(Environment.NewLine, summaries.Select(s => s.ToJson())));
        Assert.AreEqual(Rows, summaries.Sum(s => s.RowsVerified), string.Join(Environment.NewLine, summaries.Select(s => s.ToJson())));
        Assert.IsTrue(summaries.All(s => s.Missing == 0 && s.Mismatches == 0 && s.DeadLettered == 0));
        MigrationSummary taker = summaries[Early];
        IReadOnlyList<StreamSplit> splits = await SplitLogCells.SplitsAsync(checkpoints, Cancellation);
        string log = string.Join(Environment.NewLine, splits.Select(s => s.ToJson()));
        Assert.IsNotEmpty(taker.TakenOver, $"{taker.ToJson()}{Environment.NewLine}{summaries[Straggler].ToJson()}{Environment.NewLine}{log}{Environment.NewLine}{straggler.Output}{Environment.NewLine}{early.Output}");
        Assert.IsTrue(taker.TakenOver.All(t => t.FromShard == Straggler && t.Rows > 0), taker.ToJson());
        MigrateAssert.OutputContains(early, "taken over");
        await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);

        RowsServed served = await shards.BigQuery.StopAsync(Cancellation);
        Assert.AreEqual(1, served.Sessions, served.Text);
        long extra = served.Total - Rows;
        Assert.IsGreaterThanOrEqualTo(0, extra, served.Text);

        // Besides the straggler's rows sent beyond its last checkpoint when killed: a response per split tried, and
        // the original call's read-ahead per switch to a primary.
        int switches = splits.Count(s => !s.IsClose && !s.IsHandOver);
        long allowed = ((splits.Count + 4) * ResponseRows) + (switches * ReadAheadRows) + (killAfterSplit ? (Rows * 2 / 3) - summaries[Straggler].RowsSkipped : 0);
        Assert.IsLessThanOrEqualTo(allowed, extra, served.Text);
        TestContext.WriteLine($"rows served {served.Total} for {Rows}; splits {switches}; hand-overs {splits.Count(s => s.IsHandOver)}; taken over {taker.TakenOver.Sum(t => t.Rows)} rows in {taker.TakenOver.Count} streams; straggler read {summaries[Straggler].RowsRead}");
    }
}
