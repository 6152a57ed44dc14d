using System.Globalization;
using System.Text;
using System.Text.Json;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// <c>migrate --source files:events.csv</c> with broken lines, stopped with SIGTERM once a checkpoint holds the first
/// broken line, then run again: the file is read from its start again, yet every good row lands once and every broken
/// line has exactly one dead letter.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateCsvResumeTests
{
    private const int Rows = 200_000;

    // Data rows (file line = row + 1, the header is line 1) whose quote never closes: one early, before the stop; one late, after it.
    private static readonly int[] s_brokenLines = [3, 180_000];

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_CsvWithBrokenLinesStoppedAfterCheckpoint_RerunExitsZeroEveryGoodRowOnceOneDeadLetterPerBrokenLine()
    {
        await using var workspace = MigrationWorkspace.Create("csvresume");
        WriteFiles(workspace);
        string[] arguments =
        [
            "migrate", "--source", "files:events.csv", "--feature-set", "fs.yaml", "--table", workspace.Table.Id,
            "--checkpoint-interval", "0.2", "--summary-json", "s.json", "--dead-letter", "dl.jsonl",
        ];

        CliResult stopped;
        using (CliProcess cli = workspace.Start(arguments, MigrationWorkspace.SharedEmulator))
        {
            await cli.WaitUntilAsync(
                () => Task.FromResult(workspace.ReadCheckpoint() is { } c && c.Totals.DeadLettered >= 1 && CrashingRun.Midway(c)),
                "the first broken line checkpointed",
                TimeSpan.FromMinutes(2),
                Cancellation);
            await cli.TerminateAsync(Cancellation);
            stopped = await cli.WaitAsync(Cancellation, TimeSpan.FromSeconds(60));
        }

        Assert.AreEqual(130, stopped.Code, stopped.Output);
        MigrationCheckpoint saved = workspace.ReadCheckpoint() ?? throw new AssertFailedException("A stopped run leaves its checkpoint.");
        Assert.IsFalse(saved.Completed, "stopped before the end");
        Assert.IsLessThan((long)Rows, saved.Totals.Read);

        CliResult rerun = await workspace.RunAsync(arguments, MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(0, rerun.Code, rerun.Output);
        MigrateAssert.OutputContains(rerun, "in 1 earlier run(s)");
        MigrationSummary summary = workspace.ReadSummary("s.json");
        string json = summary.ToJson();
        long good = Rows - s_brokenLines.Length;
        Assert.AreEqual((long)Rows, summary.RowsRead, json);
        Assert.AreEqual(good, summary.RowsWritten, json);
        Assert.AreEqual(good, summary.RowsVerified, json);
        Assert.AreEqual((long)s_brokenLines.Length, summary.DeadLettered, json);
        Assert.AreEqual(0, summary.Mismatches + summary.Missing, json);
        Assert.AreEqual(2, summary.Runs, json);
        long[] deadLetterLines = [.. (await File.ReadAllLinesAsync(workspace.PathOf("dl.jsonl"), Cancellation)).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("firstLine").GetInt64())];
        CollectionAssert.AreEqual(s_brokenLines.Select(l => (long)l + 1).ToArray(), deadLetterLines.Order().ToArray(), "one dead letter per broken line, at its line in the file");
        Assert.AreEqual(good, await workspace.Table.CountRowsAsync(Cancellation));
    }

    private static void WriteFiles(MigrationWorkspace workspace)
    {
        var text = new StringBuilder("user_id,event_time,note\n");
        for (int i = 1; i <= Rows; i++)
        {
            string note = s_brokenLines.Contains(i) ? "\"never closed" : "n" + i.ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"u{i},2026-01-01T00:00:00Z,{note}\n");
        }

        File.WriteAllText(workspace.PathOf("events.csv"), text.ToString());
        File.WriteAllText(workspace.PathOf("fs.yaml"), """
            table: csv_resume
            entityKey: user_id
            eventTime: event_time
            families:
              f:
                maxVersions: 1
            features:
              - name: note
                family: f
                type: string
            """);
    }
}
