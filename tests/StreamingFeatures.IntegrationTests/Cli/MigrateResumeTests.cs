using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// <c>migrate</c> killed with SIGKILL mid-job on the shared Bigtable emulator (<c>BIGTABLE_EMULATOR_HOST</c>) and run
/// again with the same command: the rerun resumes from the checkpoint and the table ends up holding every sample row
/// exactly once, with the right cells, and the report counts every row once across runs.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateResumeTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_KilledMidway_RerunCompletesEveryRowExactlyOnce()
    {
        const long Rows = 200_000;
        await using var workspace = MigrationWorkspace.Create("resume");
        string[] arguments = CrashingRun.SampleArguments(workspace, Rows);

        MigrationCheckpoint killed = await CrashingRun.RunUntilKilledAsync(
            workspace, arguments, MigrationWorkspace.SharedEmulator, () => Task.FromResult(workspace.ReadCheckpoint()), c => c.Totals.Read >= Rows / 4 && CrashingRun.Midway(c), Cancellation);
        CliResult rerun = await workspace.RunAsync(arguments, MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(0, rerun.Code, rerun.Output);
        MigrateAssert.OutputContains(rerun, "in 1 earlier run(s)");
        Assert.IsLessThan(Rows, killed.Totals.Read);
        MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), Rows, runs: 2);
        await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);
    }

    [TestMethod]
    public async Task Migrate_SigTermMidway_DrainsSavesProgressExits130_RerunCompletesEveryRowOnce()
    {
        const long Rows = 200_000;
        await using var workspace = MigrationWorkspace.Create("sigterm");
        string[] arguments = CrashingRun.SampleArguments(workspace, Rows);

        CliResult stopped;
        using (CliProcess cli = workspace.Start(arguments, MigrationWorkspace.SharedEmulator))
        {
            await cli.WaitUntilAsync(
                () => Task.FromResult(workspace.ReadCheckpoint() is { } c && c.Totals.Read >= Rows / 4 && CrashingRun.Midway(c)),
                "a quarter of the rows checkpointed",
                TimeSpan.FromMinutes(2),
                Cancellation);
            await cli.TerminateAsync(Cancellation);
            stopped = await cli.WaitAsync(Cancellation, TimeSpan.FromSeconds(60));
        }

        Assert.AreEqual(130, stopped.Code, stopped.Output);
        MigrateAssert.OutputContains(stopped, "Stopped: progress is saved");
        var partial = workspace.ReadSummary("s.json");
        Assert.IsTrue(partial.Stopped, "the summary says the run was stopped");
        MigrationCheckpoint saved = workspace.ReadCheckpoint() ?? throw new AssertFailedException("A stopped run leaves its checkpoint.");
        Assert.IsFalse(saved.Completed);
        Assert.IsLessThan(Rows, saved.Totals.Read);

        CliResult rerun = await workspace.RunAsync(arguments, MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(0, rerun.Code, rerun.Output);
        MigrateAssert.OutputContains(rerun, "in 1 earlier run(s)");
        MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), Rows, runs: 2);
        await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);
    }

    [TestMethod]
    public async Task Migrate_KilledTwiceAtDifferentPoints_ThirdRunCompletesEveryRowExactlyOnce()
    {
        const long Rows = 60_000;
        await using var workspace = MigrationWorkspace.Create("resume2");
        string[] arguments = CrashingRun.SampleArguments(workspace, Rows);
        Task<MigrationCheckpoint?> Read() => Task.FromResult(workspace.ReadCheckpoint());

        MigrationCheckpoint first = await CrashingRun.RunUntilKilledAsync(
            workspace, arguments, MigrationWorkspace.SharedEmulator, Read, CrashingRun.Midway, Cancellation);
        MigrationCheckpoint second = await CrashingRun.RunUntilKilledAsync(
            workspace, arguments, MigrationWorkspace.SharedEmulator, Read, c => c.Runs == 2 && c.Totals.Read > first.Totals.Read + (Rows / 10) && CrashingRun.Midway(c), Cancellation);
        CliResult last = await workspace.RunAsync(arguments, MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(0, last.Code, last.Output);
        MigrateAssert.OutputContains(last, "in 2 earlier run(s)");
        Assert.IsGreaterThan(first.Totals.Read, second.Totals.Read, "the second run went on from the first one's checkpoint");
        MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), Rows, runs: 3);
        await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);
    }

    [TestMethod]
    public async Task Migrate_CheckpointInBigtable_KilledMidway_RerunCompletesAndKeepsCheckpointRow()
    {
        const long Rows = 60_000;
        await using var workspace = MigrationWorkspace.Create("resumebt");
        var checkpoints = new TargetTable(EmulatorFixture.UniqueName("ckpt"));
        try
        {
            string[] arguments = CrashingRun.SampleArguments(workspace, Rows, "--checkpoint", "bigtable:" + checkpoints.Id);

            await CrashingRun.RunUntilKilledAsync(
                workspace, arguments, MigrationWorkspace.SharedEmulator, () => checkpoints.ReadCheckpointAsync(Cancellation), CrashingRun.Midway, Cancellation);
            CliResult rerun = await workspace.RunAsync(arguments, MigrationWorkspace.SharedEmulator, Cancellation);

            Assert.AreEqual(0, rerun.Code, rerun.Output);
            MigrateAssert.OutputContains(rerun, "in 1 earlier run(s)");
            MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), Rows, runs: 2);
            await MigrateAssert.TableHoldsSampleAsync(workspace.Table, Rows, Cancellation);
            MigrationCheckpoint saved = await checkpoints.ReadCheckpointAsync(Cancellation) ?? throw new AssertFailedException("No checkpoint row.");
            Assert.IsTrue(saved.Completed);
            Assert.AreEqual(Rows, saved.Totals.Read);
            Assert.AreEqual(2, saved.Runs);
            Assert.IsFalse(Directory.Exists(workspace.PathOf(MigrationWorkspace.CheckpointFolder)), "a Bigtable checkpoint leaves no file");
        }
        finally
        {
            await checkpoints.DeleteAsync();
        }
    }
}
