using System.Globalization;
using Grpc.Net.Client;
using StreamingFeatures.Emulators;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Perf.Migrate;

/// <summary>
/// <c>migrate</c>: the whole migration path (BigQuery Storage emulator in a child process → Arrow decode → map →
/// write to cbtemulator → full read-back) through the engine's <c>MigrationJob</c>, against the three bare loops over
/// the same rows (an Arrow read of the session, MutateRows of pre-built requests, ReadRows of the written keys), in
/// ABBA order after an untimed warm-up of each. Prints one JSON object; progress goes to stderr.
/// </summary>
internal static partial class MigrateCommand
{

    public static async Task<int> RunAsync(MigrateArguments args)
    {
        string? loadAverage = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg").ConfigureAwait(false)).Trim() : null;
        Log($"load average at start: {loadAverage ?? "unknown"}");
        await using BigQueryServer bigQuery = await BigQueryServer.StartAsync(args.Rows, args.WarmUpRows, args.Features).ConfigureAwait(false);
        Log($"BigQuery Storage emulator at {bigQuery.Endpoint} (child process {bigQuery.ProcessId})");
        await using Emulator bigtable = await Emulator.StartAsync(EmulatorKind.Bigtable, new EmulatorOptions()).ConfigureAwait(false);
        if (bigtable.ProcessId is not { } bigtablePid)
        {
            await Console.Error.WriteLineAsync("migrate measures cbtemulator's CPU apart, so it starts its own: unset BIGTABLE_EMULATOR_HOST.").ConfigureAwait(false);
            return 2;
        }

        Log($"cbtemulator at {bigtable.Endpoint} (process {bigtablePid})");
        using GrpcChannel bigQueryChannel = bigQuery.CreateChannel();
        using GrpcChannel bigtableChannel = bigtable.CreateChannel();
        var run = new Run(args, bigQuery, bigQueryChannel, bigtable.Endpoint, bigtableChannel, bigtablePid);

        await run.MigrationAsync(BigQueryServer.WarmTable, args.WarmUpRows, "warm-up migration (untimed)").ConfigureAwait(false);
        await run.BareLoopsAsync(BigQueryServer.WarmTable, args.WarmUpRows, "warm-up").ConfigureAwait(false);

        var phases = new Dictionary<string, MigratePhaseDetail>();
        MigratePhase migration1 = await run.MigrationAsync(BigQueryServer.Table, args.Rows, "migration 1").ConfigureAwait(false);
        phases["migration1"] = MigratePhaseDetail.From(migration1, withWorkingSet: true);
        BareRun bare1 = await run.BareLoopsAsync(BigQueryServer.Table, args.Rows, "1").ConfigureAwait(false);
        bare1.AddTo(phases, "1");
        BareRun bare2 = await run.BareLoopsAsync(BigQueryServer.Table, args.Rows, "2").ConfigureAwait(false);
        bare2.AddTo(phases, "2");

        // Give the pre-built messages' memory back to the OS, or the next migration's working set would carry it.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        MigratePhase migration2 = await run.MigrationAsync(BigQueryServer.Table, args.Rows, "migration 2").ConfigureAwait(false);
        phases["migration2"] = MigratePhaseDetail.From(migration2, withWorkingSet: true);

        MigrateReport report = Report(args, loadAverage, migration1, migration2, bare1, bare2, phases);
        await ReportJson.WriteAsync(report, args.Output).ConfigureAwait(false);

        return 0;
    }

    private static MigrateReport Report(
        MigrateArguments args, string? loadAverage, MigratePhase migration1, MigratePhase migration2, BareRun bare1, BareRun bare2, Dictionary<string, MigratePhaseDetail> phases)
    {
        MigratePhase migration = migration1.Plus(migration2);
        MigratePhase arrow = bare1.ArrowRead.Plus(bare2.ArrowRead);
        MigratePhase mutate = bare1.MutateRows.Plus(bare2.MutateRows);
        MigratePhase read = bare1.ReadRows.Plus(bare2.ReadRows);
        double bareCpu = arrow.CpuMicrosecondsPerRow + mutate.CpuMicrosecondsPerRow + read.CpuMicrosecondsPerRow;
        double bareSeconds = arrow.Client.Elapsed.TotalSeconds + mutate.Client.Elapsed.TotalSeconds + read.Client.Elapsed.TotalSeconds;
        var pipeline = new PipelineOptions();
        var verification = new VerificationOptions();
        return new MigrateReport
        {
            Rows = args.Rows,
            Features = args.Features,
            WarmUpRows = args.WarmUpRows,
            LoadAverageAtStart = loadAverage,
            Settings = new MigrateSettings(
                new BigQueryEmulatorOptions().DefaultStreamCount,
                BigQuerySourceLimits.MaxConcurrentStreams.Default,
                pipeline.Batching.MaxRows,
                pipeline.Writer.MaxRequestsInFlight,
                verification.ReadBatchRows,
                verification.ReadParallelism,
                verification.Mode.ToString(),
                Jobs.MigrationJobLimits.CheckpointInterval.Default.TotalSeconds,
                "built-in BigQueryStorageEmulator in a child process (serve-bigquery), synthetic table served on demand, Arrow",
                "cbtemulator (gcloud SDK), a child process"),
            MigrationCpuSecondsPerMillionRows = Math.Round(migration.CpuMicrosecondsPerRow, 3),
            BareArrowReadCpuSecondsPerMillionRows = Math.Round(arrow.CpuMicrosecondsPerRow, 3),
            BareMutateRowsCpuSecondsPerMillionRows = Math.Round(mutate.CpuMicrosecondsPerRow, 3),
            BareReadRowsCpuSecondsPerMillionRows = Math.Round(read.CpuMicrosecondsPerRow, 3),
            BareSumCpuSecondsPerMillionRows = Math.Round(bareCpu, 3),
            MigrationVsBareSumCpu = Math.Round(migration.CpuMicrosecondsPerRow / bareCpu, 3),
            MigrationRowsPerSecond = Math.Round(migration.Client.RowsPerSecond),
            BareSumRowsPerSecond = Math.Round(2 * args.Rows / bareSeconds),
            // The second run's working set may still hold what the bare loops' messages took: only the first, before
            // any message was built, speaks for the migration's memory.
            PeakWorkingSetBytesMigration = migration1.Client.PeakWorkingSetBytes,
            GoalCpuAtMost130PercentOfBareSum = migration.CpuMicrosecondsPerRow <= 1.3 * bareCpu,
            Phases = phases,
        };
    }

    private static string Describe(MigratePhase p) => string.Create(
        CultureInfo.InvariantCulture,
        $"{p.Client.Rows} rows in {p.Client.Elapsed.TotalSeconds:0.00} s = {p.Client.RowsPerSecond:0} rows/s, {p.CpuMicrosecondsPerRow:0.00} client CPU-µs/row, {p.Client.AllocatedBytesPerRow:0} B allocated/row, peak WS {p.Client.PeakWorkingSetBytes / (1024 * 1024)} MiB; cbtemulator CPU {p.Client.EmulatorCpu?.TotalSeconds:0.00} s, BigQuery emulator CPU {p.BigQueryCpu.TotalSeconds:0.00} s, other processes' CPU {p.OtherCpu?.TotalSeconds:0.00} s");

    private static void Log(string line) => Console.Error.WriteLine($"[perf {DateTime.UtcNow:HH:mm:ss}] {line}");
}
