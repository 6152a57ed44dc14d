using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Emulators;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Telemetry;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Perf.Pipeline;

/// <summary>
/// <c>pipeline</c>: in one process, the whole graph into a null sink, the same graph into cbtemulator, and a bare
/// loop of pre-built requests into the same emulator; each after an untimed warm-up, each timed run on a fresh table
/// that is deleted afterwards. Prints one JSON object; progress goes to stderr.
/// </summary>
internal static partial class PipelineCommand
{
    private const int NullSinkRuns = 3;
    private const int NullSinkWarmUpFactor = 10;


    public static async Task<int> RunAsync(PipelineArguments args)
    {
        // The engine's defaults, but no read-back: these runs measure writing.
        var options = new PipelineOptions { Verification = new VerificationOptions { Mode = VerificationMode.None } };
        var sourceOptions = new SyntheticSourceOptions { Rows = args.Rows, Features = args.Features };
        var phases = new Dictionary<string, PhaseDetail>();
        string? loadAverage = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg").ConfigureAwait(false)).Trim() : null;
        Log($"load average at start: {loadAverage ?? "unknown"}");
        PhaseMeasurement? nullSink = null;
        PhaseMeasurement? emulator = null;
        PhaseMeasurement? bareLoop = null;

        if (!args.SkipNullSink)
        {
            nullSink = await MeasureNullSinkAsync(args, sourceOptions, options, phases).ConfigureAwait(false);
        }

        if (!args.SkipEmulator)
        {
            Log("starting the Bigtable emulator");
            await using Emulator bigtable = await Emulator.StartAsync(EmulatorKind.Bigtable, new EmulatorOptions()).ConfigureAwait(false);
            using GrpcChannel channel = bigtable.CreateChannel();
            Log($"emulator at {bigtable.Endpoint}{(bigtable.IsExternal ? " (BIGTABLE_EMULATOR_HOST)" : string.Empty)}");
            (emulator, bareLoop) = await MeasureEmulatorAsync(channel, bigtable.ProcessId, args, sourceOptions, options, phases).ConfigureAwait(false);
        }

        PerfReport report = Report(args, options, sourceOptions, nullSink, emulator, bareLoop, phases, loadAverage);
        await ReportJson.WriteAsync(report, args.Output).ConfigureAwait(false);

        return 0;
    }

    /// <summary>
    /// Three timed runs, reported by the median one (its peak working set the largest of the three): a run takes only
    /// seconds, so one late tier-1 compilation or one stray process moves a single run by a fifth.
    /// </summary>
    private static async Task<PhaseMeasurement> MeasureNullSinkAsync(PipelineArguments args, SyntheticSourceOptions sourceOptions, PipelineOptions options, Dictionary<string, PhaseDetail> phases)
    {
        const string Table = PerfTable.Instance + "/tables/null-sink";
        // Here a run takes about as long as the JIT takes to bring the hot path to tier 1 (call counting, then
        // background compilation with PGO): 100,000 rows left the first 2M-row run at half speed, so ten times more.
        long warmUpRows = args.WarmUpRows * NullSinkWarmUpFactor;
        if (warmUpRows > 0)
        {
            var warm = new SyntheticSource(sourceOptions with { Rows = warmUpRows });
            await RunPipelineAsync(new NullBigtableInvoker(), Table, warm, warm.FeatureSet("null-sink"), options, warmUpRows).ConfigureAwait(false);
        }

        var runs = new List<PhaseMeasurement>();
        for (int run = 1; run <= NullSinkRuns; run++)
        {
            var source = new SyntheticSource(sourceOptions);
            var sink = new NullBigtableInvoker();
            string? trace = run == 1 ? TracePath(args, "null-sink") : null;
            PhaseMeasurement measured = await RunPipelineAsync(sink, Table, source, source.FeatureSet("null-sink"), options, args.Rows, emulatorPid: null, trace).ConfigureAwait(false);
            Log($"null sink {run}: {Describe(measured)}; {sink.Requests} requests, {(double)sink.Bytes / sink.Entries:0.0} request bytes/row");
            phases[$"nullSink{run}"] = PhaseDetail.From(measured, withWorkingSet: true);
            runs.Add(measured);
        }

        PhaseMeasurement median = runs.OrderBy(m => m.RowsPerSecond).ElementAt(NullSinkRuns / 2);
        return median with { PeakWorkingSetBytes = runs.Max(m => m.PeakWorkingSetBytes) };
    }

    private static async Task<PhaseMeasurement> RunPipelineAsync(CallInvoker invoker, string tableName, SyntheticSource source, FeatureSetOptions featureSet, PipelineOptions options, long rows, int? emulatorPid = null, string? tracePath = null)
    {
        var deadLetters = new CollectingDeadLetterSink(capacity: 10);
        using var metrics = new PipelineMetrics();
        var pipeline = new IngestionPipeline(featureSet, source, new BigtableTarget(invoker, tableName), deadLetters, options, metrics);
        Settle();
        PhaseMeasurement measured;
        PipelineResult result;
        TraceRecorder? trace = tracePath is null ? null : TraceRecorder.Start(tracePath);
        await using (PhaseMeter meter = PhaseMeter.Start(sampleWorkingSet: true, emulatorPid))
        {
            result = await pipeline.RunAsync().ConfigureAwait(false);
            measured = meter.Stop(rows);
        }

        if (trace is not null)
        {
            await trace.DisposeAsync().ConfigureAwait(false);
            Log($"trace written to {tracePath}");
        }

        IntegrityReport report = result.Report;
        if (report.RowsWritten != rows || report.DeadLettered != 0)
        {
            throw new InvalidOperationException(
                $"The pipeline into {tableName} read {report.RowsRead} rows, wrote {report.RowsWritten} of {rows} and dead-lettered {report.DeadLettered}: {string.Join("; ", deadLetters.Kept.Take(3))}");
        }

        return measured;
    }

    private static PerfReport Report(
        PipelineArguments args,
        PipelineOptions options,
        SyntheticSourceOptions sourceOptions,
        PhaseMeasurement? nullSink,
        PhaseMeasurement? emulator,
        PhaseMeasurement? bareLoop,
        Dictionary<string, PhaseDetail> phases,
        string? loadAverage)
    {
        double? throughputRatio = emulator is not null && bareLoop is not null ? emulator.RowsPerSecond / bareLoop.RowsPerSecond : null;
        double? cpuRatio = emulator is not null && bareLoop is not null ? emulator.CpuSecondsPerMillionRows / bareLoop.CpuSecondsPerMillionRows : null;
        long?[] peaks = [nullSink?.PeakWorkingSetBytes, emulator?.PeakWorkingSetBytes];
        return new PerfReport
        {
            Rows = args.Rows,
            Features = args.Features,
            WarmUpRows = args.WarmUpRows,
            LoadAverageAtStart = loadAverage,
            Settings = new RunSettings(
                options.MapParallelism,
                options.Writer.MaxRequestsInFlight,
                options.Batching.MaxRows,
                sourceOptions.Partitions,
                sourceOptions.ChunkRows,
                options.Verification.Mode.ToString(),
                args.PreheatEmulator && !args.SkipEmulator ? args.Rows : 0),
            NullSinkRowsPerSecond = Round(nullSink?.RowsPerSecond, 0),
            EmulatorRowsPerSecond = Round(emulator?.RowsPerSecond, 0),
            BareLoopRowsPerSecond = Round(bareLoop?.RowsPerSecond, 0),
            NullSinkCpuSecondsPerMillionRows = Round(nullSink?.CpuSecondsPerMillionRows, 3),
            EmulatorCpuSecondsPerMillionRows = Round(emulator?.CpuSecondsPerMillionRows, 3),
            BareLoopCpuSecondsPerMillionRows = Round(bareLoop?.CpuSecondsPerMillionRows, 3),
            PeakWorkingSetBytes = peaks.Max(),
            PeakWorkingSetBytesNullSink = nullSink?.PeakWorkingSetBytes,
            PeakWorkingSetBytesEmulator = emulator?.PeakWorkingSetBytes,
            EmulatorVsBareLoopThroughput = Round(throughputRatio, 3),
            EmulatorVsBareLoopCpu = Round(cpuRatio, 3),
            Goals = new GoalResults(
                nullSink is null ? null : nullSink.RowsPerSecond >= 1_000_000,
                throughputRatio is null ? null : throughputRatio >= 0.9,
                cpuRatio is null ? null : cpuRatio <= 1.3,
                emulator is null ? null : emulator.CpuSecondsPerMillionRows < 12),
            Phases = phases,
        };
    }

    private static string? TracePath(PipelineArguments args, string phase)
    {
        if (args.Trace is null)
        {
            return null;
        }

        Directory.CreateDirectory(args.Trace);
        return Path.Combine(args.Trace, phase + ".nettrace");
    }

    /// <summary>Starts a phase from a collected heap, so one phase's garbage is not the next one's cost.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;

    private static string Describe(PhaseMeasurement m) => string.Create(
        CultureInfo.InvariantCulture,
        $"{m.Rows} rows in {m.Elapsed.TotalSeconds:0.00} s = {m.RowsPerSecond:0} rows/s, {m.CpuSecondsPerMillionRows:0.00} CPU-s/M rows, {m.AllocatedBytesPerRow:0} B allocated/row, peak WS {m.PeakWorkingSetBytes / (1024 * 1024)} MiB; emulator CPU {m.EmulatorCpu?.TotalSeconds:0.00} s, other processes' CPU {m.OtherCpu?.TotalSeconds:0.00} s");

    private static void Log(string line) => Console.Error.WriteLine($"[perf {DateTime.UtcNow:HH:mm:ss}] {line}");
}
