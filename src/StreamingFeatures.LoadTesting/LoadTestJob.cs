using Google.Cloud.Bigtable.Admin.V2;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.LoadTesting.Targets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Telemetry;
using StreamingFeatures.Verification;

namespace StreamingFeatures.LoadTesting;

/// <summary>
/// A load test of the engine in this process (targets synthetic, bigquery, pubsub): creates the table, opens the
/// profile's target, runs the pipeline while the recorder measures, stops it a drain after the last planned row and
/// returns the figures. The host connects to Bigtable, shows what the listener hears and writes the reports.
/// </summary>
public sealed partial class LoadTestJob
{
    private readonly LoadProfile _profile;
    private readonly BigtableConnection _bigtable;
    private readonly LoadTestJobOptions _options;

    public LoadTestJob(LoadProfile profile, BigtableConnection bigtable, LoadTestJobOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(bigtable);
        if (profile.Target == LoadTarget.Ingest)
        {
            throw new ArgumentException("The ingest target measures a running service: run it with ServiceLoadTestJob.", nameof(profile));
        }

        _profile = profile;
        _bigtable = bigtable;
        _options = options ?? new LoadTestJobOptions();
    }

    /// <summary>Runs the profile; a stop ends the schedule early and the figures cover what ran.</summary>
    /// <exception cref="PipelineException">The pipeline failed (not a row: the graph).</exception>
    public async Task<LoadTestResult> RunAsync(ILoadTestListener? listener = null, CancellationToken stop = default)
    {
        listener ??= NullLoadTestListener.Instance;
        var schedule = RateSchedule.For(_profile);
        SyntheticSource rows = LoadPlan.Rows(_profile, schedule.TotalRows);
        FeatureSetOptions featureSet = LoadPlan.FeatureSet(_profile, _options.Table);
        string tableId = featureSet.Table;
        var admin = new BigtableTableAdmin.BigtableTableAdminClient(_bigtable.Admin);
        await TableProvisioner.ProvisionAsync(admin, _bigtable.InstanceName, featureSet, TableProvisioning.Create, stop).ConfigureAwait(false);
        string tableName = _bigtable.TableName(tableId);
        try
        {
            return await MeasureAsync(schedule, rows, featureSet, tableId, listener, stop).ConfigureAwait(false);
        }
        finally
        {
            if (_bigtable.IsEmulator && _options.Table is null)
            {
                await admin.DeleteTableAsync(new DeleteTableRequest { Name = tableName }, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<LoadTestResult> MeasureAsync(RateSchedule schedule, SyntheticSource rows, FeatureSetOptions featureSet, string tableId, ILoadTestListener listener, CancellationToken stop)
    {
        TimeProvider time = _options.Time;
        string tableName = _bigtable.TableName(tableId);
        KeyRanges ranges = await KeyRangesAsync(tableName, listener, stop).ConfigureAwait(false);
        using var metrics = new PipelineMetrics();
        using var recorder = new LoadRecorder(schedule, ranges, _profile.Measure, time);
        recorder.ObserveQueues(metrics);
        await using TargetRun target = await TargetRun.OpenAsync(_profile, rows, featureSet, recorder, metrics, stop).ConfigureAwait(false);
        IDeadLetterSink deadLetters = target.DeadLetters ?? new CollectingDeadLetterSink();
        var pipeline = new IngestionPipeline(
            featureSet,
            target.Source,
            _bigtable.Target(tableId),
            deadLetters,
            new PipelineOptions { Verification = new VerificationOptions { Mode = VerificationMode.None }, DrainTimeout = _options.PipelineDrainTimeout },
            metrics,
            time,
            completion: target.Completion);
        string bigtable = _bigtable.IsEmulator ? "emulator " + _bigtable.DataAddress.Authority : _bigtable.InstanceName;
        listener.Started(new LoadTestStart(
            _profile.Name,
            target.Source.Description,
            $"{tableName} ({(_bigtable.IsEmulator ? bigtable : "Google Cloud")})",
            pipeline.Keys.ToString(),
            "rows",
            schedule.TotalRows,
            schedule.Duration,
            _profile.Measure.Drain,
            _profile.Shape.Kind,
            ranges.Count,
            ranges.Source));

        DateTimeOffset startedAt = time.GetUtcNow();
        using var deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var runStop = CancellationTokenSource.CreateLinkedTokenSource(stop, deadline.Token);
        using var sampling = new CancellationTokenSource();
        recorder.Start();
        await target.StartAsync(stop).ConfigureAwait(false);
        deadline.CancelAfter(schedule.Duration + _profile.Measure.Drain);
        Task sampler = recorder.RunSamplerAsync(sampling.Token, listener.IntervalClosed);
        ReadLoad? reads = Reads(featureSet, tableId);
        Task<ReadRun>? mixed = _profile.Target == LoadTarget.Serve ? null : reads?.RunAsync(duringWrites: true, stop);
        PipelineResult run;
        ReadRun? readRun;
        try
        {
            run = await pipeline.RunAsync(runStop.Token).ConfigureAwait(false);
        }
        finally
        {
            await sampling.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);
            await target.StopAsync(listener).ConfigureAwait(false);
            readRun = mixed is null ? null : await mixed.ConfigureAwait(false);
        }

        // Target serve reads once its write phase (the preload) has finished: the table holds every row written.
        if (_profile.Target == LoadTarget.Serve && reads is not null && !stop.IsCancellationRequested)
        {
            listener.Note($"the write phase has finished ({recorder.Written} rows); reading for {DurationText.Format(reads.Duration)}.");
            readRun = await reads.RunAsync(duringWrites: false, stop).ConfigureAwait(false);
        }

        recorder.CloseInterval();
        if (run.Stopped && !stop.IsCancellationRequested)
        {
            listener.Warning($"the pipeline had not finished {_profile.Measure.Drain.TotalSeconds:0.#} s after the last planned row; the rows still in flight count as unfinished.");
        }

        var environment = LoadRecorder.DefaultEnvironment();
        environment["bigtable"] = bigtable;
        environment["table"] = tableName;
        environment["source"] = target.Source.Description;
        environment["keys"] = pipeline.Keys.ToString();
        return recorder.Result(_profile, startedAt, environment) with { Reads = readRun };
    }
}
