using System.Diagnostics;
using Google.Cloud.Bigtable.Admin.V2;
using Grpc.Core;
using Spectre.Console;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Emulators;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.GoogleCloud;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Resilience;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Files;
using StreamingFeatures.Telemetry;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>
/// One run of a migration: load its checkpoint, connect, open the source where the last run stopped, run the graph
/// while saving progress, and report every row of the migration (all runs).
/// </summary>
internal sealed partial class MigrationRunner(MigrationSettings settings)
{
    private readonly MigrationSettings _settings = settings;
    private MigrationCheckpoint? _checkpoint;
    private ICheckpointStore? _store;

    // Every row of the job is written and verified: an emulator this run owns has nothing left to keep.
    private bool _jobFinished;

    public static int BadInput(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return ExitCodes.BadInput;
    }

    private static int Failed(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return ExitCodes.Failure;
    }

    public async Task<int> RunAsync(CancellationToken stop)
    {
        FeatureSetOptions? featureSet;
        try
        {
            featureSet = _settings.FeatureSetFile is { } file ? FeatureSetLoader.Load(file.FullName)
                : _settings.SourceKind is SourceKind.Sample or SourceKind.Synthetic ? SourceSpec.Sample(_settings.SampleRows, _settings.SampleFeatures).FeatureSet("features")
                : null;
        }
        catch (FeatureSetException e)
        {
            return BadInput(e.Message);
        }

        if (featureSet is null)
        {
            return BadInput("--feature-set is required for file and BigQuery sources: it says which columns become which cells.");
        }

        if (_settings.Table is { } table)
        {
            featureSet.Table = table;
        }

        bool local = _settings.Local || _settings.Project is null;
        string? emulatorHost = Environment.GetEnvironmentVariable(BigtableConnectionOptions.EmulatorHostVariable);
        string target = local ? (emulatorHost is null ? "local emulator" : "emulator " + emulatorHost) : $"projects/{_settings.Project}/instances/{_settings.Instance}";
        MigrationJob job = MigrationJob.Create(_settings, target, featureSet);
        OwnedEmulator? replaced = null;
        try
        {
            if (_settings.Checkpoint is null || (_settings.Checkpoint != "none" && !_settings.Checkpoint.StartsWith("bigtable:", StringComparison.Ordinal)))
            {
                _store = new FileCheckpointStore(_settings.Checkpoint ?? Path.Combine(MigrationPreflight.CheckpointFolder, job.Id + ".json"));
                if (_settings.Restart)
                {
                    replaced = await EarlierEmulatorAsync(_store, stop).ConfigureAwait(false);
                }
                else
                {
                    _checkpoint = await _store.LoadAsync(stop).ConfigureAwait(false);
                }

                // Before the local emulator is looked at: an earlier run's emulator being gone makes a run start over
                // and overwrite the checkpoint, which must never happen to another job's.
                if (AnotherJobs(job) is { } refused)
                {
                    return refused;
                }
            }

            // Starting over replaces the checkpoint naming the earlier run's emulator, which nothing could then stop
            // (a dry run replaces nothing).
            if (replaced is not null && !_settings.DryRun && await LocalBigtable.StopEarlierAsync(replaced, stop).ConfigureAwait(false))
            {
                AnsiConsole.MarkupLineInterpolated($"Stopped the Bigtable emulator of the earlier run (pid {replaced.ProcessId}, {replaced.Endpoint}): starting over.");
            }

            await using LocalBigtable? localBigtable = local ? await LocalBigtable.StartAsync(_checkpoint?.Emulator, stop).ConfigureAwait(false) : null;
            try
            {
                return await RunOnAsync(job, featureSet, local, localBigtable, stop).ConfigureAwait(false);
            }
            finally
            {
                await KeepEmulatorAsync(localBigtable).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is CallGaveUpException || e.InnerException is CallGaveUpException)
        {
            // Bigtable or BigQuery stayed unreachable past the call's retry deadline: a failure, not bad input.
            return Failed(e.Message);
        }
        catch (CheckpointException e)
        {
            return BadInput(e.Message);
        }
        catch (RpcException e) when (!stop.IsCancellationRequested && e.StatusCode != StatusCode.Cancelled)
        {
            // A refusal retrying cannot fix, before any row is written (provisioning, a read session): the instance,
            // table or permissions named are wrong, which is bad configuration; anything else is a failure. A call
            // cancelled by Ctrl+C or SIGTERM is left to the stop handling.
            string line = $"Bigtable or BigQuery refused the request: {e.StatusCode}: {e.Status.Detail}";
            return e.StatusCode is StatusCode.NotFound or StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.InvalidArgument
                ? BadInput(line)
                : Failed(line);
        }
        catch (ArgumentException e) when (e.Message.StartsWith("Bigtable:", StringComparison.Ordinal))
        {
            return BadInput(e.Message);
        }
        catch (CredentialsException e)
        {
            return BadInput(e.Message);
        }
        catch (Exception e) when (e is EmulatorNotInstalledException or EmulatorStartException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Connects to Bigtable (on <paramref name="localBigtable"/> when local) and runs the job, unless already finished.</summary>
    private async Task<int> RunOnAsync(MigrationJob job, FeatureSetOptions featureSet, bool local, LocalBigtable? localBigtable, CancellationToken stop)
    {
        if (localBigtable is { Owned: not null, Adopted: false } && _checkpoint is { Partitions.Count: > 0 })
        {
            AnsiConsole.MarkupLine("[yellow]The Bigtable emulator of the earlier run is gone, and the rows it held with it: starting the migration over.[/]");
            _checkpoint = null;
        }

        using BigtableConnection bigtable = await BigtableConnection.ConnectAsync(
            new BigtableConnectionOptions
            {
                EmulatorHost = localBigtable?.Endpoint,
                Project = _settings.Project ?? (local ? "local" : null),
                Instance = _settings.Instance ?? (local ? "local" : null),
                AppProfileId = _settings.AppProfile,
                CredentialsFile = _settings.CredentialsFile,
            },
            stop).ConfigureAwait(false);
        if (_settings.Checkpoint is { } spec && spec.StartsWith("bigtable:", StringComparison.Ordinal))
        {
            _store = new BigtableCheckpointStore(bigtable.Data, bigtable.Admin, bigtable.InstanceName, spec["bigtable:".Length..], job.Id, bigtable.AppProfileId, Retry(CallRetryOptions.Checkpoint));
            _checkpoint = _settings.Restart ? null : await _store.LoadAsync(stop).ConfigureAwait(false);
            if (AnotherJobs(job) is { } refused)
            {
                return refused;
            }
        }

        if (_checkpoint is { Completed: true })
        {
            AnsiConsole.MarkupLineInterpolated($"This migration finished in an earlier run (checkpoint {_store!.Description}); nothing to do. Use --restart to run it again.");
            _jobFinished = true;
            return await FinishAsync(Combined(_checkpoint.Totals, null), _checkpoint, stopped: false).ConfigureAwait(false);
        }

        return await MigrateAsync(job, featureSet, bigtable, localBigtable, stop).ConfigureAwait(false);
    }

    /// <summary>Exit 2 when the loaded checkpoint is another migration's; null when there is none or it is this one's.</summary>
    private int? AnotherJobs(MigrationJob job)
    {
        IReadOnlyList<string> differences = _checkpoint?.Differences(job.Identity) ?? [];
        return differences.Count == 0 ? null
            : BadInput($"The checkpoint {_store!.Description} belongs to another migration ({string.Join("; ", differences)}). Run with the same arguments, name another --checkpoint, or start over with --restart.");
    }

    private async Task<int> MigrateAsync(MigrationJob job, FeatureSetOptions featureSet, BigtableConnection bigtable, LocalBigtable? localBigtable, CancellationToken stop)
    {
        var progress = new ProgressTracker(_checkpoint?.Committed());
        await using var deadLetters = new JsonLinesDeadLetterSink(_settings.DeadLetterFile.FullName);
        await using OpenedSource opened = new();
        try
        {
            await OpenSourceAsync(opened, featureSet, progress, new SourceRejections(deadLetters, progress), stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FeatureSetException or FileSourceException or BigQuerySourceException or CredentialsException or ArgumentException)
        {
            return BadInput(e.Message);
        }

        if (CheckLocalCapacity(opened, featureSet, localBigtable) is { } tooBig)
        {
            return tooBig;
        }

        // Event times may not be far ahead of the snapshot (files: the first run's start), the same in every run.
        DateTimeOffset snapshot = opened.BigQuery?.Session.SnapshotTime ?? _checkpoint?.SnapshotTime ?? TimeProvider.System.GetUtcNow();
        string tableName = bigtable.TableName(featureSet.Table);
        using var metrics = new PipelineMetrics();
        IngestionPipeline pipeline;
        try
        {
            pipeline = new IngestionPipeline(
                featureSet,
                opened.Source!,
                bigtable.Data,
                tableName,
                deadLetters,
                _settings.RetryDeadline is { } deadline
                    ? new PipelineOptions { Verification = _settings.Verification with { ReadRetry = Retry(CallRetryOptions.BigtableRead) }, Writer = new BigtableWriterOptions { RetryDeadline = deadline }, EventTimeReference = snapshot }
                    : new PipelineOptions { Verification = _settings.Verification, EventTimeReference = snapshot },
                metrics,
                appProfileId: bigtable.AppProfileId,
                progress: progress);
        }
        catch (Exception e) when (e is FeatureSetException or SchemaMismatchException or ArgumentException)
        {
            return BadInput(e.Message);
        }

        PrintPlan(opened, tableName, bigtable, pipeline);
        if (_settings.DryRun)
        {
            AnsiConsole.MarkupLine("Dry run: the configuration and the source schema fit the feature set; nothing was written.");
            return ExitCodes.Success;
        }

        if (await ProvisionAsync(bigtable, featureSet, tableName, stop).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        using var peak = new PeakWorkingSet();
        var clock = Stopwatch.StartNew();
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        MigrationCheckpoint Build(long sequence, bool completed)
        {
            (IReadOnlyDictionary<int, PartitionCheckpoint> committed, _) = progress.Snapshot();
            IntegrityReport run = pipeline.Report();
            return new MigrationCheckpoint
            {
                Job = job.Identity,
                Sequence = sequence,
                SnapshotTime = snapshot,
                Session = opened.BigQuery is { } bq
                    ? new ReadSessionCheckpoint(bq.Session.Name, bq.Session.Streams, Convert.ToBase64String(bq.ArrowSchema.Span), bq.Session.ExpireTime, bq.Session.EstimatedRowCount, bq.AvroSchema)
                    : null,
                Partitions = MigrationCheckpoint.Entries(committed, Ends(opened)),
                Runs = (_checkpoint?.Runs ?? 0) + 1,
                ElapsedSeconds = (_checkpoint?.ElapsedSeconds ?? 0) + clock.Elapsed.TotalSeconds,
                CpuSeconds = (_checkpoint?.CpuSeconds ?? 0) + (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds,
                PeakWorkingSetBytes = Math.Max(_checkpoint?.PeakWorkingSetBytes ?? 0, peak.Bytes),
                MissingKeys = [.. (_checkpoint?.MissingKeys ?? []).Concat(run.MissingKeys).Take(_settings.Verification.MaxReportedKeys)],
                ChangedKeys = [.. (_checkpoint?.ChangedKeys ?? []).Concat(run.ChangedKeys).Take(_settings.Verification.MaxReportedKeys)],
                Completed = completed,
                Emulator = localBigtable?.Owned,
                SavedAt = TimeProvider.System.GetUtcNow(),
            };
        }

        // Read by every save: set only for the last save of a run that finished every row.
        bool finished = false;
        CheckpointWriter? writer = _store is null ? null : new CheckpointWriter(
            _store,
            progress,
            sequence => Build(sequence, finished),
            _checkpoint?.Sequence ?? 0,
            _settings.CheckpointInterval,
            TimeProvider.System,
            e => Console.Error.WriteLine("warning: " + e.Message));
        try
        {
            // The session and snapshot are on disk before the first row is written.
            await (writer?.SaveAsync(stop) ?? Task.CompletedTask).ConfigureAwait(false);
            PipelineResult result;
            try
            {
                result = await ProgressReporter.RunAsync(
                    opened.ExpectedRows,
                    () => pipeline.RowsDone,
                    () => $"dead letters {deadLetters.Count:N0}",
                    () => pipeline.RunAsync(stop)).ConfigureAwait(false);
            }
            catch (PipelineException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                await SaveFinalAsync(writer, _store, s => Build(s, completed: false)).ConfigureAwait(false);
                AnsiConsole.MarkupLineInterpolated($"Progress is saved ({_store?.Description ?? "no checkpoint"}): the same command resumes.");
                return ExitCodes.Failure;
            }

            (IReadOnlyDictionary<int, PartitionCheckpoint> committed, int pending) = progress.Snapshot();
            finished = !result.Stopped && pending == 0;
            _jobFinished = finished;

            MigrationCheckpoint final = await SaveFinalAsync(writer, _store, s => Build(s, finished)).ConfigureAwait(false);
            RowStats totals = committed.Values.Aggregate(default(RowStats), (sum, p) => sum + p.Stats);
            return await FinishAsync(Combined(totals, result.Report), final, result.Stopped).ConfigureAwait(false);
        }
        finally
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A run that did not finish, however it ended (stopped, failed, or refused after adopting an earlier run's
    /// emulator), leaves the emulator it owns running, with its rows, for the run that resumes: only when the
    /// checkpoint file names it, since nothing else could lead back to it.
    /// </summary>
    private async Task KeepEmulatorAsync(LocalBigtable? localBigtable)
    {
        if (_jobFinished || localBigtable?.Owned is not { } owned || _store is not FileCheckpointStore store)
        {
            return;
        }

        try
        {
            if ((await store.LoadAsync(CancellationToken.None).ConfigureAwait(false))?.Emulator != owned)
            {
                return;
            }
        }
        catch (CheckpointException)
        {
            return;
        }

        if (localBigtable.KeepRunning() is { } kept)
        {
            string log = localBigtable.LogFile is { } file ? $" (its output: {file})" : string.Empty;
            AnsiConsole.MarkupLineInterpolated($"The Bigtable emulator (pid {kept.ProcessId}, {kept.Endpoint}) keeps running with the rows written so far{log}; the same command resumes on it and stops it at the end.");
        }
    }

    /// <summary>The emulator named by the checkpoint that a run starting over replaces; null when none or unreadable.</summary>
    private static async Task<OwnedEmulator?> EarlierEmulatorAsync(ICheckpointStore store, CancellationToken stop)
    {
        try
        {
            return (await store.LoadAsync(stop).ConfigureAwait(false))?.Emulator;
        }
        catch (CheckpointException)
        {
            return null;
        }
    }

    /// <summary>Saves the last checkpoint of this run; when it cannot be saved the run's figures are still reported.</summary>
    private static async Task<MigrationCheckpoint> SaveFinalAsync(CheckpointWriter? writer, ICheckpointStore? store, Func<long, MigrationCheckpoint> build)
    {
        if (writer is null)
        {
            return build(0);
        }

        await writer.StopAsync().ConfigureAwait(false);
        try
        {
            return await writer.SaveAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (CheckpointException e)
        {
            Console.Error.WriteLine($"warning: the last checkpoint was not saved to {store!.Description}: {e.Message}");
            return build(0);
        }
    }

    /// <summary>A call's retry preset, with --retry-deadline when given.</summary>
    private CallRetryOptions Retry(CallRetryOptions preset) => _settings.RetryDeadline is { } deadline ? preset.WithDeadline(deadline) : preset;

    private async Task<int?> ProvisionAsync(BigtableConnection bigtable, FeatureSetOptions featureSet, string tableName, CancellationToken stop)
    {
        var admin = new BigtableTableAdmin.BigtableTableAdminClient(bigtable.Admin);
        if (_settings.NoCreate)
        {
            if (!await TableProvisioner.ExistsAsync(admin, tableName, stop, Retry(CallRetryOptions.BigtableAdmin)).ConfigureAwait(false))
            {
                return BadInput($"Table {tableName} does not exist and --no-create forbids creating it.");
            }
        }
        else if (await TableProvisioner.EnsureTableAsync(admin, bigtable.InstanceName, featureSet, stop, Retry(CallRetryOptions.BigtableAdmin)).ConfigureAwait(false))
        {
            AnsiConsole.MarkupLineInterpolated($"Created {tableName} (or its missing column families).");
        }

        return null;
    }
}
