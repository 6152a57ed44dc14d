using System.Globalization;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.IntegrationTests.Cli.Shards;

/// <summary>
/// Four <c>migrate</c> shard processes at once against one <c>emulator bigquery</c> process and the Bigtable
/// emulator, sharing one read session through a <c>bigtable:TABLE</c> checkpoint store; one is SIGKILLed midway and
/// run again, with work stealing on. The emulator's count of rows served proves the table was read once, not once
/// per shard, beyond what the kill and each switch to a split's primary read again.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed partial class MigrateSharedSessionTests
{
    private const long Rows = 40_000;
    private const int Shards = 4;
    private const int Killed = 3;

    // Each ReadRows call is served at this pace (a stream of 2,500 rows in ~10 s, a response every ~4 s; reading, not
    // writing, takes the time), so the killed shard's rerun still reads when the others ask for work.
    private const int ServedRowsPerSecond = 250;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_FourShardsOneKilledAndRerun_OneSessionEveryRowOnceReadOnceBeyondTheKill()
    {
        await using SharedSessionShards shards = await SharedSessionShards.StartAsync("shared", Rows, Shards, ServedRowsPerSecond, Cancellation);
        MigrationWorkspace workspace = shards.Workspace;
        TargetTable checkpoints = shards.Checkpoints;
        IReadOnlyDictionary<string, string> environment = shards.Environment;
        string[] Arguments(int shard) => shards.Arguments(shard, "--checkpoint-interval", "0.2", "--dead-letter", string.Create(CultureInfo.InvariantCulture, $"dl{shard}.jsonl"));

        MigrationCheckpoint left;
        string killedOutput;
        Task<CliResult>[] others;
        using (CliProcess victim = workspace.Start(Arguments(Killed), environment))
        {
            others = [.. Enumerable.Range(0, Shards).Where(s => s != Killed).Select(s => workspace.RunAsync(Arguments(s), environment, Cancellation))];
            await victim.WaitUntilAsync(
                async () => await ShardCheckpointAsync(checkpoints, Killed) is { } checkpoint && CrashingRun.Midway(checkpoint),
                "the shard's checkpoint midway",
                TimeSpan.FromMinutes(2),
                Cancellation);
            victim.Kill(entireProcessTree: true);
            Assert.AreEqual(137, victim.ExitCode, victim.Output);
            left = await ShardCheckpointAsync(checkpoints, Killed) ?? throw new AssertFailedException("The killed shard left no checkpoint.");
            killedOutput = victim.Output;
        }

        CliResult rerun = await workspace.RunAsync(Arguments(Killed), environment, Cancellation);
        CliResult[] results = [.. await Task.WhenAll(others), rerun];
        foreach (CliResult result in results)
        {
            Assert.AreEqual(0, result.Code, result.Output);
        }

        MigrateAssert.OutputContains(rerun, "in 1 earlier run(s)");
        MigrationSummary[] summaries = [.. Enumerable.Range(0, Shards).Select(s => workspace.ReadSummary(SharedSessionShards.Summary(s)))];
        string reports = string.Join(Environment.NewLine, summaries.Select(s => s.ToJson()));
        for (int shard = 0; shard < Shards; shard++)
        {
            // Stealing moves rows between shards: each report adds up, and together they hold every row once.
            MigrateAssert.AllRowsOnce(summaries[shard], summaries[shard].RowsRead, runs: shard == Killed ? 2 : 1);
        }

        Assert.AreEqual(Rows, summaries.Sum(s => s.RowsRead), reports);
        await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);
        RowsServed served = await shards.BigQuery.StopAsync(Cancellation);
        Assert.AreEqual(1, served.Sessions, "every shard reads the one session the first shard created:" + Environment.NewLine + served.Text);

        // Served beyond the table's rows, each from a figure of the run: the killed shard's rows not committed
        // when killed (its rerun reads them again), and per switch to a primary or abandoned split (both drop a
        // call the server had sent ahead on) at most ReadAheadRows, the emulator's own read-ahead figure.
        IReadOnlyList<StreamSplit> log = await SplitLogCells.SplitsAsync(checkpoints, Cancellation);
        int switches = log.Count(e => !e.IsClose && !e.IsHandOver);
        int abandoned = results.Select(r => r.Output).Append(killedOutput).Sum(o => Occurrences(o, "split abandoned") + Occurrences(o, "read again from the primary"));
        long uncommitted = Rows / Shards - left.Totals.Read;
        long extra = served.Total - Rows;
        long allowed = uncommitted + ((switches + abandoned) * MigrateWorkStealingTests.ReadAheadRows);
        string figures = string.Create(CultureInfo.InvariantCulture, $"rows served {served.Total} for {Rows} rows: {extra} extra, allowed {allowed} (killed shard uncommitted {uncommitted}, {left.Totals.Read} committed; {switches} splits, {abandoned} abandoned, {log.Count(e => e.IsHandOver)} hand-overs)");
        Assert.IsGreaterThanOrEqualTo(0, extra, served.Text);
        Assert.IsLessThanOrEqualTo(allowed, extra, $"{figures}{Environment.NewLine}{served.Text}{Environment.NewLine}{reports}");
        long keptAhead = results.Select(r => r.Output).Append(killedOutput).Sum(o => KeptAhead().Matches(o).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        TestContext.WriteLine($"{figures}; rows received ahead and kept at switches {keptAhead}");
        foreach (string line in results.Select(r => r.Output).Append(killedOutput).SelectMany(o => o.Split('\n')).Where(l => l.Contains("work stealing", StringComparison.Ordinal)))
        {
            TestContext.WriteLine(line);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(\d+) rows received ahead on the original kept")]
    private static partial System.Text.RegularExpressions.Regex KeptAhead();

    private static int Occurrences(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Shard <paramref name="shard"/>'s checkpoint row in the store, or null while there is none.</summary>
    private async Task<MigrationCheckpoint?> ShardCheckpointAsync(TargetTable store, int shard)
    {
        string marker = string.Create(CultureInfo.InvariantCulture, $"-shard{shard}of{Shards}-");
        MigrationCheckpoint? found = null;
        try
        {
            await store.ScanAsync(
                row =>
                {
                    if (row.Key.ToStringUtf8().Contains(marker, StringComparison.Ordinal))
                    {
                        Google.Cloud.Bigtable.V2.Cell cell = row.Families.Single(f => f.Name == BigtableCheckpointStore.Family).Columns.Single(c => c.Qualifier.ToStringUtf8() == "json").Cells[0];
                        found = MigrationCheckpoint.FromJson(cell.Value.ToStringUtf8(), row.Key.ToStringUtf8());
                    }
                },
                Cancellation);
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
            return null;
        }

        return found;
    }
}
