using Spectre.Console;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Jobs;
using StreamingFeatures.Pipeline;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>Driving the job step by step on the Bigtable it runs on, with what the console shows between the steps.</summary>
internal sealed partial class MigrationRunner
{
    /// <summary>Connects the job to Bigtable (on <paramref name="localBigtable"/> when local) and runs it, unless already finished.</summary>
    private async Task<int> RunOnAsync(MigrationJob job, MigrationJobOptions options, bool local, LocalBigtable? localBigtable, CancellationToken stop)
    {
        if (localBigtable is { Owned: not null, Adopted: false } && job.Checkpoint is { Partitions.Count: > 0 })
        {
            AnsiConsole.MarkupLine("[yellow]The Bigtable emulator of the earlier run is gone, and the rows it held with it: starting the migration over.[/]");
            job.StartOver();
        }

        var bigtable = new BigtableConnectionOptions
        {
            EmulatorHost = localBigtable?.Endpoint,
            Project = _settings.Project ?? (local ? "local" : null),
            Instance = _settings.Instance ?? (local ? "local" : null),
            AppProfileId = _settings.AppProfile,
            CredentialsFile = _settings.CredentialsFile,
        };
        await job.ConnectAsync(bigtable, localBigtable?.Owned, stop).ConfigureAwait(false);
        if (job.FinishedEarlier && !_settings.PlanOnly)
        {
            AnsiConsole.MarkupLineInterpolated($"This migration finished in an earlier run (checkpoint {job.CheckpointDescription}); nothing to do. Use --restart to run it again.");
            return await FinishAsync(await job.RunAsync(stop).ConfigureAwait(false), job).ConfigureAwait(false);
        }

        await using SampleTable? sample = await SampleTable.ServeAsync(options.Source, stop).ConfigureAwait(false);
        MigrationPlan plan = await job.PrepareAsync(sample?.Endpoint, stop).ConfigureAwait(false);
        if (CheckLocalCapacity(plan, job, options.FeatureSet, localBigtable) is { } tooBig)
        {
            return tooBig;
        }

        PrintPlan(plan, job);
        if (_settings.DryRun)
        {
            AnsiConsole.MarkupLine("Dry run: the configuration and the source schema fit the feature set; nothing was written.");
            return ExitCodes.Success;
        }

        if (_settings.PlanOnly)
        {
            // PrepareAsync claimed, created and recorded the session as this shard would (or found it recorded).
            AnsiConsole.MarkupLineInterpolated($"Plan only: the shards' read session is recorded in {job.ShardPlanDescription}; no row was read or written. Run the {_settings.ShardCount} shards with the same arguments.");
            return ExitCodes.Success;
        }

        if (await job.ProvisionAsync(stop).ConfigureAwait(false))
        {
            AnsiConsole.MarkupLineInterpolated($"Created {plan.TableName} (or its missing column families).");
        }

        MigrationResult result;
        try
        {
            result = await ProgressReporter.RunAsync(
                plan.ExpectedRows,
                () => job.RowsDone,
                () => $"dead letters {job.DeadLetters:N0}",
                () => job.RunAsync(stop)).ConfigureAwait(false);
        }
        catch (PipelineException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            AnsiConsole.MarkupLineInterpolated($"Progress is saved ({job.CheckpointDescription ?? "no checkpoint"}): the same command resumes.");
            return ExitCodes.Failure;
        }

        return await FinishAsync(result, job).ConfigureAwait(false);
    }

    /// <summary>
    /// A run that did not finish, however it ended (stopped, failed, or refused after adopting an earlier run's
    /// emulator), leaves the emulator it owns running, with its rows, for the run that resumes: only when the
    /// checkpoint file names it, since nothing else could lead back to it.
    /// </summary>
    private static async Task KeepEmulatorAsync(MigrationJob job, LocalBigtable? localBigtable)
    {
        if (job.Finished || localBigtable?.Owned is not { } owned
            || await job.SavedEmulatorAsync(CancellationToken.None).ConfigureAwait(false) != owned)
        {
            return;
        }

        if (localBigtable.KeepRunning() is { } kept)
        {
            string log = localBigtable.LogFile is { } file ? $" (its output: {file})" : string.Empty;
            AnsiConsole.MarkupLineInterpolated($"The Bigtable emulator (pid {kept.ProcessId}, {kept.Endpoint}) keeps running with the rows written so far{log}; the same command resumes on it and stops it at the end.");
        }
    }
}
