using System.Globalization;
using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>A migrate run killed with SIGKILL once its checkpoint shows what the test waits for.</summary>
internal static class CrashingRun
{
    private const int SigKillExitCode = 137;
    private static readonly TimeSpan s_progressTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The usual arguments of a local sample migration with frequent checkpoints and a summary in <c>s.json</c>.</summary>
    public static string[] SampleArguments(MigrationWorkspace workspace, long rows, params string[] more) =>
    [
        "migrate", "--local", "--sample-rows", rows.ToString(CultureInfo.InvariantCulture), "--table", workspace.Table.Id,
        "--checkpoint-interval", "0.2", "--summary-json", "s.json", .. more,
    ];

    /// <summary>Committed rows, and the job is not finished.</summary>
    public static bool Midway(MigrationCheckpoint checkpoint) => checkpoint.Totals.Read > 0 && !checkpoint.Completed;

    /// <summary>
    /// Starts the CLI, waits until <paramref name="readCheckpoint"/> returns a checkpoint that satisfies
    /// <paramref name="killWhen"/>, kills the process, and returns the checkpoint it left (proven unfinished).
    /// </summary>
    /// <remarks>With <c>entireProcessTree</c> false, the emulators the CLI started keep running, as orphans.</remarks>
    public static async Task<MigrationCheckpoint> RunUntilKilledAsync(
        MigrationWorkspace workspace,
        string[] arguments,
        IReadOnlyDictionary<string, string>? environment,
        Func<Task<MigrationCheckpoint?>> readCheckpoint,
        Func<MigrationCheckpoint, bool> killWhen,
        CancellationToken cancellationToken,
        bool entireProcessTree = true)
    {
        using CliProcess cli = workspace.Start(arguments, environment);
        await cli.WaitUntilAsync(
            async () => await readCheckpoint() is { } checkpoint && killWhen(checkpoint),
            "checkpoint at the kill point",
            s_progressTimeout,
            cancellationToken);
        cli.Kill(entireProcessTree);

        Assert.AreEqual(SigKillExitCode, cli.ExitCode, $"the run must die by the kill, not finish first:{Environment.NewLine}{cli.Output}");
        Assert.IsFalse(File.Exists(workspace.PathOf("s.json")), "a killed run writes no summary");
        MigrationCheckpoint left = await readCheckpoint() ?? throw new AssertFailedException("The checkpoint vanished with the kill.");
        Assert.IsFalse(left.Completed, "killed midway, the checkpoint cannot say the job is complete");
        return left;
    }
}
