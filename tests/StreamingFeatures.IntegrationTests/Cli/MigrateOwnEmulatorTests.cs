using System.Diagnostics;
using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// <c>migrate --local</c> on the Bigtable emulator it starts itself (no <c>BIGTABLE_EMULATOR_HOST</c>): killed with
/// SIGKILL, it leaves that emulator running with every row written so far; the rerun finds it through the
/// checkpoint, finishes the job on it, and stops it.
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

            CliResult rerun = await workspace.RunAsync(arguments, environment: null, TestContext.CancellationToken);

            Assert.AreEqual(0, rerun.Code, rerun.Output);
            MigrateAssert.OutputContains(rerun, "Resuming from");
            MigrateAssert.OutputContains(rerun, "emulator http://" + orphan.Endpoint);
            MigrateAssert.OutputLacks(rerun, "is gone");
            MigrateAssert.AllRowsOnce(workspace.ReadSummary("s.json"), Rows, runs: 2);
            Assert.IsTrue(await ExitsAsync(orphan.ProcessId, TimeSpan.FromSeconds(15)), $"the adopted emulator (pid {orphan.ProcessId}) must be stopped by the run that finished on it");
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
