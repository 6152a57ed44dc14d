using Google.Cloud.Bigtable.Admin.V2;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Emulators;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.GoogleCloud;
using StreamingFeatures.LoadTesting;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Telemetry;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>
/// One load test: load the profile, start the emulators (or connect to the allowed project), create the table, run
/// the pipeline in this process with the profile's source while the recorder measures, then write the reports and
/// apply the regression gate.
/// </summary>
internal sealed partial class LoadTestRunner(LoadTestSettings settings)
{
    private readonly LoadTestSettings _settings = settings;

    public async Task<int> RunAsync(CancellationToken stop)
    {
        LoadProfile profile;
        try
        {
            profile = LoadProfileLoader.Load(_settings.Profile!.FullName);
        }
        catch (LoadProfileException e)
        {
            return BadInput(e.Message);
        }

        LoadTestResult? baseline = null;
        if (_settings.Baseline is { } baselineFile && (baseline = LoadTestGate.Read(baselineFile)) is null)
        {
            return ExitCodes.BadInput;
        }

        if (_settings.TargetKind is { } target)
        {
            profile.Target = target;
        }

        IReadOnlyList<string> problems = _settings.TargetProblems(profile.Target);
        if (problems.Count > 0)
        {
            return BadInput(string.Join(Environment.NewLine + "error: ", problems));
        }

        if (_settings.Cloud && profile.Target == LoadTarget.PubSub)
        {
            return BadInput("The pubsub target runs on the local Pub/Sub emulator only: leave out --project.");
        }

        DirectoryInfo output = _settings.Output ?? new DirectoryInfo(Path.Combine(OutputFolder.DefaultParent, $"{profile.Name}-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}"));
        if (profile.Target == LoadTarget.Ingest)
        {
            return await RunIngestAsync(profile, baseline, output, stop).ConfigureAwait(false);
        }

        try
        {
            await using Emulator? emulator = _settings.Cloud ? null : await Emulator.StartAsync(EmulatorKind.Bigtable, cancellationToken: stop).ConfigureAwait(false);
            using BigtableConnection bigtable = await BigtableConnection.ConnectAsync(
                new BigtableConnectionOptions
                {
                    EmulatorHost = emulator?.Endpoint,
                    Project = _settings.Project ?? "local",
                    Instance = _settings.Instance ?? "local",
                    AppProfileId = _settings.AppProfile,
                    CredentialsFile = _settings.CredentialsFile,
                },
                stop).ConfigureAwait(false);
            LoadTestResult? result = await RunProfileAsync(profile, bigtable, emulator, stop).ConfigureAwait(false);
            return result is null ? ExitCodes.Failure : Finish(profile, result, baseline, output, stop);
        }
        catch (Exception e) when (e is EmulatorNotInstalledException or EmulatorStartException or PipelineException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Failure;
        }
        catch (NotImplementedException e)
        {
            Console.Error.WriteLine("error: the pubsub target needs the Pub/Sub source, which this build does not implement yet: " + e.Message);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is CredentialsException or ConnectionSettingsException)
        {
            return BadInput(e.Message);
        }
    }

    /// <summary>Writes the reports, prints the summary and applies the gate: the exit code of a run that finished.</summary>
    private int Finish(LoadProfile profile, LoadTestResult result, LoadTestResult? baseline, DirectoryInfo output, CancellationToken stop)
    {
        LoadComparison? comparison = baseline is null ? null : LoadTestGate.Compare(
            result,
            baseline,
            _settings.MaxThroughputDrop ?? profile.Gate.MaxThroughputDrop,
            _settings.MaxP99Rise ?? profile.Gate.MaxP99Rise);
        try
        {
            LoadTestReport.Write(output, result, comparison);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Checked before the run, yet the disk filled or the folder changed: the summary still shows the figures.
            PrintSummary(result, output);
            Console.Error.WriteLine($"error: the reports could not be written to {output.FullName}: {e.Message}");
            return ExitCodes.Failure;
        }

        PrintSummary(result, output);
        if (comparison is not null)
        {
            return LoadTestGate.Judge(comparison, "this run", _settings.Baseline!.Name);
        }

        return stop.IsCancellationRequested ? ExitCodes.Stopped : ExitCodes.Success;
    }

    private static int BadInput(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return ExitCodes.BadInput;
    }

    private async Task<LoadTestResult?> RunProfileAsync(LoadProfile profile, BigtableConnection bigtable, Emulator? emulator, CancellationToken stop)
    {
        var schedule = RateSchedule.For(profile);
        SyntheticSource rows = LoadPlan.Rows(profile, schedule.TotalRows);
        string tableId = _settings.Table ?? $"loadtest-{profile.Name}-{Guid.NewGuid():N}"[..Math.Min(profile.Name.Length + 18, 50)];
        FeatureSetOptions featureSet = rows.FeatureSet(tableId, LoadPlan.RowKey(profile));
        var admin = new BigtableTableAdmin.BigtableTableAdminClient(bigtable.Admin);
        await TableProvisioner.EnsureTableAsync(admin, bigtable.InstanceName, featureSet, stop).ConfigureAwait(false);
        string tableName = bigtable.TableName(tableId);
        try
        {
            KeyRanges ranges = await KeyRangesAsync(profile, bigtable, tableName, stop).ConfigureAwait(false);
            using var metrics = new PipelineMetrics();
            using var recorder = new LoadRecorder(schedule, ranges, profile.Measure);
            recorder.ObserveQueues(metrics);
            await using TargetRun target = await TargetRun.OpenAsync(profile, rows, featureSet, recorder, metrics, stop).ConfigureAwait(false);
            var deadLetters = target.DeadLetters ?? new CollectingDeadLetterSink();
            var pipeline = new IngestionPipeline(
                featureSet,
                target.Source,
                bigtable.Target(tableId),
                deadLetters,
                new PipelineOptions { Verification = new VerificationOptions { Mode = VerificationMode.None }, DrainTimeout = TimeSpan.FromSeconds(10) },
                metrics,
                completion: target.Completion);
            Console.WriteLine($"Load test '{profile.Name}': {target.Source.Description} → {tableName} ({(emulator is null ? "Google Cloud" : "emulator " + emulator.Endpoint)}), keys {pipeline.Keys}.");
            Console.WriteLine($"Plan: {schedule.TotalRows:N0} rows over {schedule.Duration.TotalSeconds:0.#} s ({profile.Shape.Kind}), then up to {profile.Measure.Drain.TotalSeconds:0.#} s to drain; {ranges.Count} key ranges ({ranges.Source}).");
            DateTimeOffset startedAt = TimeProvider.System.GetUtcNow();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            using var sampling = new CancellationTokenSource();
            recorder.Start();
            await target.StartAsync(stop).ConfigureAwait(false);
            deadline.CancelAfter(schedule.Duration + profile.Measure.Drain);
            Task sampler = recorder.RunSamplerAsync(sampling.Token, _settings.Quiet ? null : PrintInterval);
            PipelineResult run;
            try
            {
                run = await pipeline.RunAsync(deadline.Token).ConfigureAwait(false);
            }
            finally
            {
                await sampling.CancelAsync().ConfigureAwait(false);
                await sampler.ConfigureAwait(false);
                await target.StopAsync().ConfigureAwait(false);
            }

            recorder.CloseInterval();
            if (run.Stopped && !stop.IsCancellationRequested)
            {
                Console.Error.WriteLine($"warning: the pipeline had not finished {profile.Measure.Drain.TotalSeconds:0.#} s after the last planned row; the rows still in flight count as unfinished.");
            }

            var environment = LoadRecorder.DefaultEnvironment();
            environment["bigtable"] = emulator is null ? bigtable.InstanceName : "emulator " + emulator.Endpoint;
            environment["table"] = tableName;
            environment["source"] = target.Source.Description;
            environment["keys"] = pipeline.Keys.ToString();
            return recorder.Result(profile, startedAt, environment);
        }
        finally
        {
            if (emulator is not null && _settings.Table is null)
            {
                await admin.DeleteTableAsync(new DeleteTableRequest { Name = tableName }, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static async Task<KeyRanges> KeyRangesAsync(LoadProfile profile, BigtableConnection bigtable, string tableName, CancellationToken stop)
    {
        if (profile.Measure.KeyRangeSource == KeyRangeSource.Sampled)
        {
            var client = new Google.Cloud.Bigtable.V2.Bigtable.BigtableClient(bigtable.Data);
            using var call = client.SampleRowKeys(new Google.Cloud.Bigtable.V2.SampleRowKeysRequest { TableName = tableName, AppProfileId = bigtable.AppProfileId ?? string.Empty }, cancellationToken: stop);
            var keys = new List<byte[]>();
            while (await call.ResponseStream.MoveNext(stop).ConfigureAwait(false))
            {
                keys.Add(call.ResponseStream.Current.RowKey.ToByteArray());
            }

            if (keys.Any(k => k.Length > 0))
            {
                return KeyRanges.FromSplits(keys, LoadPlan.RowKey(profile));
            }

            Console.WriteLine("SampleRowKeys gave no split points (a new or small table): using even splits of the key space.");
        }

        return LoadPlan.EvenRanges(profile);
    }
}
