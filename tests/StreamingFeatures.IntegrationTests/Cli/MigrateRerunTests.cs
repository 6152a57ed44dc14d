using StreamingFeatures.Checkpoints;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// <c>migrate</c> run again over an existing checkpoint: a finished job only reports, <c>--restart</c> runs it
/// again, and a command whose job settings differ from the checkpoint's is refused before it writes anything.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateRerunTests
{
    private const long Rows = 5_000;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_RerunOfFinishedJob_ReportsEarlierFiguresAndWritesNothing()
    {
        await using var workspace = MigrationWorkspace.Create("rerun");
        string[] first = CrashingRun.SampleArguments(workspace, Rows);
        CliResult done = await workspace.RunAsync(first, MigrationWorkspace.SharedEmulator, Cancellation);
        Assert.AreEqual(0, done.Code, done.Output);
        MigrationSummary before = workspace.ReadSummary("s.json");
        string checkpointBefore = CheckpointText(workspace);
        File.Delete(workspace.PathOf("s.json"));

        CliResult rerun = await workspace.RunAsync(first, MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(0, rerun.Code, rerun.Output);
        MigrateAssert.OutputContains(rerun, "finished in an earlier run");
        MigrationSummary after = workspace.ReadSummary("s.json");
        // Of this run's figures, every row is skipped: an earlier run did it.
        CollectionAssert.AreEqual(before.TakenOver.ToList(), after.TakenOver.ToList());
        CollectionAssert.AreEqual(before.SessionRenewals.ToList(), after.SessionRenewals.ToList());
        Assert.AreEqual(before with { RowsSkipped = after.RowsSkipped, Sources = after.Sources, TakenOver = after.TakenOver, SessionRenewals = after.SessionRenewals }, after, "the rerun reports the finished job's figures, runs included");
        Assert.AreEqual(Rows, after.RowsSkipped, after.ToJson());
        MigrateAssert.AllRowsOnce(after, Rows, runs: 1);
        Assert.IsTrue(workspace.ReadCheckpoint()!.Completed, "the finished job's checkpoint says so");
        Assert.AreEqual(checkpointBefore, CheckpointText(workspace), "the rerun must not save a checkpoint");
        Assert.AreEqual(Rows, await workspace.Table.CountRowsAsync(Cancellation));
    }

    [TestMethod]
    public async Task Migrate_RestartOfFinishedJob_RunsItAgainFromTheStart()
    {
        await using var workspace = MigrationWorkspace.Create("restart");
        string[] arguments = CrashingRun.SampleArguments(workspace, Rows);
        CliResult done = await workspace.RunAsync(arguments, MigrationWorkspace.SharedEmulator, Cancellation);
        Assert.AreEqual(0, done.Code, done.Output);
        MigrationCheckpoint before = workspace.ReadCheckpoint()!;

        CliResult restarted = await workspace.RunAsync([.. arguments, "--restart"], MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(0, restarted.Code, restarted.Output);
        MigrateAssert.OutputLacks(restarted, "finished in an earlier run");
        MigrateAssert.OutputLacks(restarted, "Resuming from");
        MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), Rows, runs: 1);
        MigrationCheckpoint after = workspace.ReadCheckpoint()!;
        Assert.IsGreaterThan(before.SavedAt, after.SavedAt, "the restarted run saves its own checkpoint");
        await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);
    }

    [TestMethod]
    [DataRow("--verify", "sample:0.5", "verify")]
    [DataRow("--sample-rows", "6000", "sampleRows")]
    public async Task Migrate_ArgumentsDifferFromCheckpoint_ExitsTwoNamingSettingAndWritesNothing(string option, string value, string setting)
    {
        await using var workspace = MigrationWorkspace.Create("differs");
        string[] arguments = ["migrate", "--local", "--table", workspace.Table.Id, "--checkpoint", "job.json"];
        CliResult done = await workspace.RunAsync([.. arguments, "--sample-rows", "5000"], MigrationWorkspace.SharedEmulator, Cancellation);
        Assert.AreEqual(0, done.Code, done.Output);
        string checkpointBefore = File.ReadAllText(workspace.PathOf("job.json"));

        string[] changed = option == "--sample-rows" ? [.. arguments, option, value] : [.. arguments, "--sample-rows", "5000", option, value];

        CliResult refused = await workspace.RunAsync(changed, MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(2, refused.Code, refused.Output);
        MigrateAssert.OutputContains(refused, setting + ":");
        MigrateAssert.OutputContains(refused, "--restart");
        Assert.AreEqual(checkpointBefore, File.ReadAllText(workspace.PathOf("job.json")), "a refused run leaves the checkpoint alone");
        Assert.AreEqual(5_000, await workspace.Table.CountRowsAsync(Cancellation));
    }

    private static string CheckpointText(MigrationWorkspace workspace) =>
        File.ReadAllText(Directory.GetFiles(workspace.PathOf(MigrationWorkspace.CheckpointFolder), "*.json").Single());
}
