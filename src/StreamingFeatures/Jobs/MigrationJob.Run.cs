using System.Diagnostics;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Jobs;

/// <summary>Running the graph while saving progress, and the figures of the whole migration.</summary>
public sealed partial class MigrationJob
{
    /// <summary>
    /// Runs the prepared graph to its end (or until <paramref name="stop"/> drains it), saving the checkpoint every
    /// interval and once at the end; the session and snapshot are saved before the first row is written. After a run
    /// that finished in an earlier run, only reports its figures.
    /// </summary>
    /// <exception cref="PipelineException">The graph faulted; the progress made is saved first.</exception>
    public async Task<MigrationResult> RunAsync(CancellationToken stop)
    {
        if (Checkpoint is { Completed: true } done)
        {
            Finished = true;
            return Result(Combined(done.Totals, null), done, Stats(done.Committed()), Stats(done.Committed()), stopped: false);
        }

        using var peak = new PeakWorkingSet(_time);
        long started = _time.GetTimestamp();
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        MigrationCheckpoint? earlier = Checkpoint;
        IReadOnlyDictionary<int, PartitionCheckpoint>? generationStart = earlier?.Committed();
        List<string> missing = [.. earlier?.MissingKeys ?? []];
        List<string> changed = [.. earlier?.ChangedKeys ?? []];
        while (true)
        {
            IngestionPipeline pipeline = Prepared;
            ProgressTracker progress = _progress!;
            MigrationCheckpoint Build(long sequence, bool completed)
            {
                (IReadOnlyDictionary<int, PartitionCheckpoint> committed, _) = progress.Snapshot();
                IntegrityReport run = pipeline.Report();
                return new MigrationCheckpoint
                {
                    Job = Identity.Identity,
                    Sequence = sequence,
                    SnapshotTime = _snapshot,
                    Session = _opened.BigQuery is { } bq ? SessionCheckpoint(bq) : null,
                    Partitions = MigrationCheckpoint.Entries(committed, Ends()),
                    Renewals = Checkpoint?.Renewals ?? [],
                    Runs = (earlier?.Runs ?? 0) + 1,
                    ElapsedSeconds = (earlier?.ElapsedSeconds ?? 0) + _time.GetElapsedTime(started).TotalSeconds,
                    CpuSeconds = (earlier?.CpuSeconds ?? 0) + (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds,
                    PeakWorkingSetBytes = Math.Max(earlier?.PeakWorkingSetBytes ?? 0, peak.Bytes),
                    MissingKeys = [.. missing.Concat(run.MissingKeys).Take(_options.Verification.MaxReportedKeys)],
                    ChangedKeys = [.. changed.Concat(run.ChangedKeys).Take(_options.Verification.MaxReportedKeys)],
                    Completed = completed,
                    Emulator = _emulator,
                    SavedAt = _time.GetUtcNow(),
                };
            }

            // Read by every save: set only for the last save of a run that finished every row.
            bool finished = false;
            CheckpointWriter? writer = _store is null ? null : new CheckpointWriter(
                _store,
                progress,
                sequence => Build(sequence, finished),
                Checkpoint?.Sequence ?? 0,
                _options.CheckpointInterval,
                _time,
                e => _warn(e.Message));
            try
            {
                await (writer?.SaveAsync(stop) ?? Task.CompletedTask).ConfigureAwait(false);
                PipelineResult result;
                try
                {
                    result = await pipeline.RunAsync(stop).ConfigureAwait(false);
                }
                catch (PipelineException e) when (Expiry(e) is { } expired && _opened.BigQuery is not null && !stop.IsCancellationRequested)
                {
                    // What was written of the expired session is saved; the rest is read through a new one.
                    MigrationCheckpoint last = await SaveFinalAsync(writer, s => Build(s, completed: false)).ConfigureAwait(false);
                    (missing, changed) = ([.. last.MissingKeys], [.. last.ChangedKeys]);
                    await RenewAsync(last, expired.ExpiredAt, stop).ConfigureAwait(false);
                    generationStart = null;
                    continue;
                }
                catch (PipelineException)
                {
                    await SaveFinalAsync(writer, s => Build(s, completed: false)).ConfigureAwait(false);
                    throw;
                }

                (IReadOnlyDictionary<int, PartitionCheckpoint> committed, int pending) = progress.Snapshot();
                finished = !result.Stopped && pending == 0;
                if (finished && _planStore is { } store && _plan is { } plan
                    && (await MarkDoneAsync(store, plan, stop).ConfigureAwait(false)).Session.Name != plan.Session.Name)
                {
                    // Another shard renewed the session before this one recorded its end: its share of the new one is read.
                    finished = false;
                    MigrationCheckpoint last = await SaveFinalAsync(writer, s => Build(s, completed: false)).ConfigureAwait(false);
                    (missing, changed) = ([.. last.MissingKeys], [.. last.ChangedKeys]);
                    await RenewAsync(last, plan.Session.ExpireTime, stop).ConfigureAwait(false);
                    generationStart = null;
                    continue;
                }

                Finished = finished;
                MigrationCheckpoint final = await SaveFinalAsync(writer, s => Build(s, finished)).ConfigureAwait(false);
                RowStats totals = committed.Values.Aggregate(default(RowStats), (sum, p) => sum + p.Stats);
                return Result(Combined(totals, result.Report), final, Stats(committed), Stats(generationStart), result.Stopped);
            }
            finally
            {
                if (writer is not null)
                {
                    await writer.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Saves the last checkpoint of this run; when it cannot be saved the run's figures are still reported.</summary>
    private async Task<MigrationCheckpoint> SaveFinalAsync(CheckpointWriter? writer, Func<long, MigrationCheckpoint> build)
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
            _warn($"the last checkpoint was not saved to {_store!.Description}: {e.Message}");
            return build(0);
        }
    }

    /// <summary>The migration's figures: committed totals of every run, with this run's checksums where it has them.</summary>
    private IntegrityReport Combined(RowStats totals, IntegrityReport? run) => new()
    {
        Mode = _options.Verification.Mode,
        RowsRead = totals.Read,
        RowsWritten = totals.Written,
        DeadLettered = totals.DeadLettered,
        RowsVerified = totals.Verified,
        Matched = totals.Matched,
        Missing = totals.Missing,
        Changed = totals.Changed,
        Superseded = totals.Superseded,
        Retries = totals.Retries,
        ByPartition = run?.ByPartition ?? new Dictionary<int, Checksum>(),
        ByBucket = run?.ByBucket ?? new Dictionary<int, Checksum>(),
    };

    private MigrationResult Result(IntegrityReport report, MigrationCheckpoint checkpoint, IReadOnlyDictionary<int, RowStats> now, IReadOnlyDictionary<int, RowStats> earlier, bool stopped)
    {
        report = report with { MissingKeys = checkpoint.MissingKeys, ChangedKeys = checkpoint.ChangedKeys };
        var summary = MigrationSummary.From(report, SourceFigures.Of(now, earlier, PartitionName), TimeSpan.FromSeconds(checkpoint.ElapsedSeconds), checkpoint.CpuSeconds, checkpoint.PeakWorkingSetBytes, stopped, checkpoint.Runs);
        summary = summary with { ReadSession = ReadSessionFigures.Of(_opened.BigQuery?.Session) ?? ReadSessionFigures.Of(checkpoint.Session), TakenOver = TakenOver(now), SessionRenewals = checkpoint.Renewals };
        return new MigrationResult(report, summary, stopped);
    }

    private static Dictionary<int, RowStats> Stats(IReadOnlyDictionary<int, PartitionCheckpoint>? committed) =>
        committed?.ToDictionary(p => p.Key, p => p.Value.Stats) ?? [];
}
