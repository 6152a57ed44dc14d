using System.Diagnostics;
using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// <c>migrate --local</c> on the Bigtable emulator it starts itself (no <c>BIGTABLE_EMULATOR_HOST</c>): killed with
/// SIGKILL, it leaves that emulator running with every row written so far; the rerun finds it through the
/// checkpoint, finishes the job on it, and stops it. Stopped with SIGTERM or Ctrl+C, it leaves the emulator running
/// the same way, with its output in a file (no pipe to the gone CLI to die on), and whatever ends a resumed run
/// early keeps it; --restart stops it. Another job's checkpoint is refused before any of this is looked at.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateOwnEmulatorTests
{
    private const long Rows = 40_000;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Migrate_KilledOnOwnEmulator_RerunAdoptsOrphanedEmulatorFinishesAndStopsIt()
    {
        await using var workspace = MigrationWorkspace.Create("own");
        string[] arguments = CrashingRun.SampleArguments(workspace, Rows);
        OwnedEmulator? orphan = null;
        try
        {
            // Only the CLI dies, as with the OOM killer: its emulator child lives on.
            MigrationCheckpoint killed = await CrashingRun.RunUntilKilledAsync(
                workspace, arguments, environment: null, () => Task.FromResult(workspace.ReadCheckpoint()), CrashingRun.Midway, TestContext.CancellationToken, entireProcessTree: false);
            orphan = killed.Emulator ?? throw new AssertFailedException("The checkpoint of a job on its own emulator names no emulator.");
            Assert.IsTrue(IsRunningEmulator(orphan.ProcessId), $"the killed run's emulator (pid {orphan.ProcessId}) must outlive it");

            CliResult rerun = await RerunFinishesOnAsync(workspace, arguments, orphan, "adopted");
            MigrateAssert.OutputContains(rerun, "Resuming from");
        }
        finally
        {
            if (orphan is not null && IsRunningEmulator(orphan.ProcessId))
            {
                using Process leftover = Process.GetProcessById(orphan.ProcessId);
                leftover.Kill();
            }
        }
    }

    [TestMethod]
    [DataRow(false, DisplayName = "SIGTERM to the CLI (a pod's stop)")]
    [DataRow(true, DisplayName = "SIGINT to its process group (Ctrl+C in a terminal)")]
    public async Task Migrate_StoppedOnOwnEmulator_KeepsEmulatorRunning_RerunResumesOnItAndStopsIt(bool ctrlC)
    {
        await using var workspace = MigrationWorkspace.Create("ownstop");
        string[] arguments = CrashingRun.SampleArguments(workspace, Rows);
        OwnedEmulator? kept = null;
        try
        {
            CliResult stopped;
            using (CliProcess cli = CliProcess.Start(workspace.Folder, arguments, environment: null, ownProcessGroup: ctrlC))
            {
                await cli.WaitUntilAsync(() => Task.FromResult(workspace.ReadCheckpoint() is { } c && CrashingRun.Midway(c)), "rows checkpointed", TimeSpan.FromMinutes(2), TestContext.CancellationToken);
                await (ctrlC ? cli.InterruptGroupAsync(TestContext.CancellationToken) : cli.TerminateAsync(TestContext.CancellationToken));
                stopped = await cli.WaitAsync(TestContext.CancellationToken, TimeSpan.FromSeconds(60));
            }

            Assert.AreEqual(130, stopped.Code, stopped.Output);
            MigrationCheckpoint saved = workspace.ReadCheckpoint() ?? throw new AssertFailedException("A stopped run leaves its checkpoint.");
            kept = saved.Emulator ?? throw new AssertFailedException("The checkpoint of a stopped job on its own emulator names no emulator.");
            Assert.IsFalse(saved.Completed);
            Assert.IsTrue(IsRunningEmulator(kept.ProcessId), $"the stopped run's emulator (pid {kept.ProcessId}) must keep running:{Environment.NewLine}{stopped.Output}");
            MigrateAssert.OutputContains(stopped, $"pid {kept.ProcessId}");
            AssertOutputOutlivesCli(kept.ProcessId);

            CliResult rerun = await RerunFinishesOnAsync(workspace, arguments, kept, "kept");
            MigrateAssert.OutputContains(rerun, "Resuming from");
        }
        finally
        {
            StopIfRunning(kept);
        }
    }

    [TestMethod]
    public async Task Migrate_CheckpointOfAnotherJob_ExitsTwoAndLeavesItUntouched()
    {
        await using var workspace = MigrationWorkspace.Create("otherjob");

        // Job A finishes on its own emulator and stops it: its checkpoint names an emulator that is gone.
        CliResult first = await workspace.RunAsync(["migrate", "--local", "--sample-rows", "1000", "--table", workspace.Table.Id], environment: null, TestContext.CancellationToken);
        Assert.AreEqual(0, first.Code, first.Output);
        string checkpoint = Directory.GetFiles(workspace.PathOf(MigrationWorkspace.CheckpointFolder), "*.json").Single();
        File.Copy(checkpoint, workspace.PathOf("other.json"));
        byte[] before = File.ReadAllBytes(workspace.PathOf("other.json"));

        // Job B (another source) is pointed at A's checkpoint.
        CliResult other = await workspace.RunAsync(
            ["migrate", "--local", "--source", "synthetic", "--sample-rows", "1000", "--table", workspace.Table.Id, "--checkpoint", "other.json"],
            environment: null,
            TestContext.CancellationToken);

        Assert.AreEqual(2, other.Code, other.Output);
        MigrateAssert.OutputContains(other, "belongs to another migration");
        MigrateAssert.OutputLacks(other, "starting the migration over");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(workspace.PathOf("other.json")), "another job's checkpoint must stay as it was");
    }

    [TestMethod]
    public async Task Migrate_ResumedRunFailsBeforeWriting_KeepsAdoptedEmulator_NextRunResumesOnIt()
    {
        await using var workspace = MigrationWorkspace.Create("ownfail");
        string[] arguments = CrashingRun.SampleArguments(workspace, Rows);
        OwnedEmulator? kept = null;
        try
        {
            kept = await StopMidwayAsync(workspace, arguments);
            AssertOutputOutlivesCli(kept.ProcessId);

            // The resumed run adopts the emulator, then cannot save its first checkpoint (a directory is in the way).
            string checkpoint = Directory.GetFiles(workspace.PathOf(MigrationWorkspace.CheckpointFolder), "*.json").Single();
            Directory.CreateDirectory(checkpoint + ".tmp");
            CliResult failed = await workspace.RunAsync(arguments, environment: null, TestContext.CancellationToken);
            Directory.Delete(checkpoint + ".tmp");

            Assert.AreEqual(2, failed.Code, failed.Output);
            MigrateAssert.OutputContains(failed, "Cannot write the checkpoint");
            Assert.IsTrue(IsRunningEmulator(kept.ProcessId), $"a resumed run that failed early must keep the emulator (pid {kept.ProcessId}) its checkpoint names:{Environment.NewLine}{failed.Output}");
            Assert.AreEqual(kept, workspace.ReadCheckpoint()?.Emulator);

            await RerunFinishesOnAsync(workspace, arguments, kept, "kept");
        }
        finally
        {
            StopIfRunning(kept);
        }
    }

    [TestMethod]
    public async Task Migrate_RestartAfterStop_StopsEarlierRunsEmulatorAndFinishesOnANewOne()
    {
        await using var workspace = MigrationWorkspace.Create("ownrestart");
        string[] arguments = CrashingRun.SampleArguments(workspace, Rows);
        OwnedEmulator? kept = null;
        try
        {
            kept = await StopMidwayAsync(workspace, arguments);
            AssertOutputOutlivesCli(kept.ProcessId);

            CliResult restarted = await workspace.RunAsync([.. arguments, "--restart"], environment: null, TestContext.CancellationToken);

            Assert.AreEqual(0, restarted.Code, restarted.Output);
            Assert.IsTrue(await ExitsAsync(kept.ProcessId, TimeSpan.FromSeconds(15)), $"--restart must stop the earlier run's emulator (pid {kept.ProcessId}):{Environment.NewLine}{restarted.Output}");
            MigrateAssert.OutputContains(restarted, $"Stopped the Bigtable emulator of the earlier run (pid {kept.ProcessId}");
            MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), Rows, runs: 1);
            OwnedEmulator? second = workspace.ReadCheckpoint()?.Emulator;
            Assert.IsTrue(second is null || await ExitsAsync(second.ProcessId, TimeSpan.FromSeconds(15)), "the run that finished stops its own emulator");
        }
        finally
        {
            StopIfRunning(kept);
        }
    }

    /// <summary>Runs the migration until rows are checkpointed, stops it with SIGTERM, and returns the emulator it kept (running).</summary>
    private async Task<OwnedEmulator> StopMidwayAsync(MigrationWorkspace workspace, string[] arguments)
    {
        CliResult stopped;
        using (CliProcess cli = CliProcess.Start(workspace.Folder, arguments, environment: null))
        {
            await cli.WaitUntilAsync(() => Task.FromResult(workspace.ReadCheckpoint() is { } c && CrashingRun.Midway(c)), "rows checkpointed", TimeSpan.FromMinutes(2), TestContext.CancellationToken);
            await cli.TerminateAsync(TestContext.CancellationToken);
            stopped = await cli.WaitAsync(TestContext.CancellationToken, TimeSpan.FromSeconds(60));
        }

        Assert.AreEqual(130, stopped.Code, stopped.Output);
        OwnedEmulator kept = workspace.ReadCheckpoint()?.Emulator ?? throw new AssertFailedException("The checkpoint of a stopped job on its own emulator names no emulator.");
        Assert.IsTrue(IsRunningEmulator(kept.ProcessId), $"the stopped run's emulator (pid {kept.ProcessId}) must keep running:{Environment.NewLine}{stopped.Output}");
        return kept;
    }

    /// <summary>
    /// The kept emulator's output goes nowhere that closes with the CLI: a pipe whose reader is gone would end it
    /// (SIGPIPE) at its next log line.
    /// </summary>
    /// <summary>Runs <paramref name="arguments"/> again and checks it finishes every row on <paramref name="emulator"/>, then stops it.</summary>
    private async Task<CliResult> RerunFinishesOnAsync(MigrationWorkspace workspace, string[] arguments, OwnedEmulator emulator, string role)
    {
        CliResult rerun = await workspace.RunAsync(arguments, environment: null, TestContext.CancellationToken);

        Assert.AreEqual(0, rerun.Code, rerun.Output);
        MigrateAssert.OutputContains(rerun, "emulator http://" + emulator.Endpoint);
        MigrateAssert.OutputLacks(rerun, "is gone");
        MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), Rows, runs: 2);
        Assert.IsTrue(await ExitsAsync(emulator.ProcessId, TimeSpan.FromSeconds(15)), $"the {role} emulator (pid {emulator.ProcessId}) must be stopped by the run that finished on it");
        return rerun;
    }

    private static void AssertOutputOutlivesCli(int pid)
    {
        foreach (int fd in new[] { 1, 2 })
        {
            string? target = new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget;
            Assert.IsNotNull(target, $"fd {fd} of the emulator (pid {pid})");
            Assert.IsFalse(target.StartsWith("pipe:", StringComparison.Ordinal), $"fd {fd} of the kept emulator (pid {pid}) is {target}: it dies of SIGPIPE at its next line");
        }
    }

    private static void StopIfRunning(OwnedEmulator? emulator)
    {
        if (emulator is not null && IsRunningEmulator(emulator.ProcessId))
        {
            using Process leftover = Process.GetProcessById(emulator.ProcessId);
            leftover.Kill();
        }
    }

    private static bool IsRunningEmulator(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited && process.ProcessName.Contains("cbtemulator", StringComparison.OrdinalIgnoreCase);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<bool> ExitsAsync(int pid, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (IsRunningEmulator(pid))
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }
}
