using System.CommandLine;
using System.Diagnostics;
using Google.Cloud.Bigtable.Admin.V2;
using Grpc.Core;
using Spectre.Console;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Emulators;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Files;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Telemetry;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Migrate;

/// <summary><c>streamingfeatures migrate</c>: moves a feature table into Bigtable and proves every row arrived.</summary>
internal static class MigrateCommand
{
    private static readonly Option<string> Source = new("--source") { Description = "Where rows come from: sample (a sample table in the built-in BigQuery Storage emulator, read through the Storage Read API), synthetic (the same rows from the generator), files:GLOB.parquet or files:GLOB.csv.", DefaultValueFactory = _ => "sample" };
    private static readonly Option<FileInfo?> FeatureSetFile = new("--feature-set") { Description = "The feature set (JSON or YAML). Default: the sample table's." };
    private static readonly Option<string?> Project = new("--project") { Description = "Google Cloud project of the Bigtable instance. Without it, the job runs locally on the emulator." };
    private static readonly Option<string?> Instance = new("--instance") { Description = "Bigtable instance id." };
    private static readonly Option<string?> AppProfile = new("--app-profile") { Description = "Bigtable app profile for the writes." };
    private static readonly Option<string?> Table = new("--table") { Description = "Bigtable table id; overrides the feature set's." };
    private static readonly Option<bool> Local = new("--local") { Description = "Run on local emulators (the default when no --project is given); honours BIGTABLE_EMULATOR_HOST." };
    private static readonly Option<long> SampleRows = new("--sample-rows") { Description = "Rows of the sample table.", DefaultValueFactory = _ => 1_000_000 };
    private static readonly Option<bool> NoCreate = new("--no-create") { Description = "Refuse to create the table or its column families." };
    private static readonly Option<string> Verify = new("--verify") { Description = "none | sample:RATE | full", DefaultValueFactory = _ => "full" };
    private static readonly Option<FileInfo?> SummaryJson = new("--summary-json") { Description = "Write the run's figures as JSON to this file." };
    private static readonly Option<FileInfo> DeadLetterFile = new("--dead-letter") { Description = "Dead-letter file (JSON lines).", DefaultValueFactory = _ => new FileInfo("streamingfeatures-dead-letters.jsonl") };
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Check configuration and schema, print the plan, write nothing." };

    public static Command Create()
    {
        var command = new Command("migrate", "Migrate a feature table into Bigtable with verification.")
        {
            Source, FeatureSetFile, Project, Instance, AppProfile, Table, Local, SampleRows, NoCreate, Verify, SummaryJson, DeadLetterFile, DryRun,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken stop)
    {
        if (!VerifySpec.TryParse(parse.GetValue(Verify)!, out VerificationOptions verification, out string verifyError))
        {
            return BadInput(verifyError);
        }

        bool local = parse.GetValue(Local) || parse.GetValue(Project) is null;
        await using var deadLetters = new JsonLinesDeadLetterSink(parse.GetValue(DeadLetterFile)!.FullName);
        IRowSource? source;
        FeatureSetOptions featureSet;
        BigQueryStorageEmulator? bigQuery = null;
        Grpc.Net.Client.GrpcChannel? bigQueryChannel = null;
        FeatureSetOptions? sampleFeatureSet = null;
        async Task<IRowSource> ServeSampleAsync(SyntheticSource synthetic)
        {
            // The sample is served the way a real migration reads BigQuery: sessions, streams, Arrow batches.
            sampleFeatureSet = synthetic.FeatureSet("features");
            bigQuery = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), stop).ConfigureAwait(false);
            bigQuery.AddTable("local", "features", "sample", synthetic);
            bigQueryChannel = bigQuery.CreateChannel();
            return await BigQueryStorageSource.OpenAsync(bigQueryChannel.CreateCallInvoker(), new BigQuerySourceOptions { Table = SourceSpec.SampleTable }, stop).ConfigureAwait(false);
        }

        await using var bigQueryLifetime = new AsyncLifetime(() => bigQuery);
        using var bigQueryChannelLifetime = new Lifetime(() => bigQueryChannel);
        try
        {
            FeatureSetOptions? fromFile = parse.GetValue(FeatureSetFile) is { } file ? FeatureSetLoader.Load(file.FullName) : null;
            source = await SourceSpec.OpenAsync(parse.GetValue(Source)!, parse.GetValue(SampleRows), fromFile, deadLetters, ServeSampleAsync, stop).ConfigureAwait(false);
            if (source is null)
            {
                return BadInput($"--source is '{parse.GetValue(Source)}'; allowed: {SourceSpec.Allowed}.");
            }

            featureSet = fromFile ?? (source is SyntheticSource synthetic ? synthetic.FeatureSet("features") : sampleFeatureSet!);
            if (featureSet is null)
            {
                return BadInput("--feature-set is required for file sources: it says which columns become which cells.");
            }
        }
        catch (Exception e) when (e is FeatureSetException or FileSourceException or BigQuerySourceException)
        {
            return BadInput(e.Message);
        }

        if (parse.GetValue(Table) is { } table)
        {
            featureSet.Table = table;
        }

        Emulator? emulator = null;
        try
        {
            if (local)
            {
                emulator = await Emulator.StartAsync(EmulatorKind.Bigtable, cancellationToken: stop).ConfigureAwait(false);
            }

            using BigtableConnection bigtable = await BigtableConnection.ConnectAsync(
                new BigtableConnectionOptions
                {
                    EmulatorHost = emulator?.Endpoint,
                    Project = parse.GetValue(Project) ?? (local ? "local" : null),
                    Instance = parse.GetValue(Instance) ?? (local ? "local" : null),
                    AppProfileId = parse.GetValue(AppProfile),
                },
                stop).ConfigureAwait(false);
            return await MigrateAsync(parse, source, featureSet, bigtable, verification, deadLetters, stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EmulatorNotInstalledException or EmulatorStartException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            if (emulator is not null)
            {
                await emulator.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> MigrateAsync(ParseResult parse, IRowSource source, FeatureSetOptions featureSet, BigtableConnection bigtable, VerificationOptions verification, JsonLinesDeadLetterSink deadLetters, CancellationToken stop)
    {
        string tableName = bigtable.TableName(featureSet.Table);
        using var metrics = new PipelineMetrics();
        IngestionPipeline pipeline;
        try
        {
            pipeline = new IngestionPipeline(
                featureSet,
                [source],
                bigtable.Data,
                tableName,
                deadLetters,
                new PipelineOptions { Verification = verification },
                metrics,
                appProfileId: bigtable.AppProfileId);
        }
        catch (Exception e) when (e is FeatureSetException or SchemaMismatchException or ArgumentException)
        {
            return BadInput(e.Message);
        }

        AnsiConsole.MarkupLineInterpolated($"Migrating [bold]{source.Description}[/] into [bold]{tableName}[/] ({(bigtable.IsEmulator ? "emulator " + bigtable.DataAddress : "Google Cloud")}), keys {pipeline.Keys}, verify {verification.Mode}.");
        if (parse.GetValue(DryRun))
        {
            AnsiConsole.MarkupLine("Dry run: the configuration and the source schema fit the feature set; nothing was written.");
            return ExitCodes.Success;
        }

        var admin = new BigtableTableAdmin.BigtableTableAdminClient(bigtable.Admin);
        if (parse.GetValue(NoCreate))
        {
            try
            {
                await admin.GetTableAsync(new GetTableRequest { Name = tableName }, cancellationToken: stop).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return BadInput($"Table {tableName} does not exist and --no-create forbids creating it.");
            }
        }
        else if (await TableProvisioner.EnsureTableAsync(admin, bigtable.InstanceName, featureSet, stop).ConfigureAwait(false))
        {
            AnsiConsole.MarkupLineInterpolated($"Created {tableName} (or its missing column families).");
        }

        using var peak = new PeakWorkingSet();
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        PipelineResult result;
        try
        {
            result = await ProgressReporter.RunAsync(
                source.ExpectedRows,
                () => pipeline.RowsDone,
                () => $"dead letters {deadLetters.Count:N0}",
                () => pipeline.RunAsync(stop)).ConfigureAwait(false);
        }
        catch (PipelineException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitCodes.Failure;
        }

        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        // Rows a file source refused (unparseable cells) never reached the graph but are part of the migration.
        long rejectedBySource = deadLetters.Count - result.Report.DeadLettered;
        IntegrityReport report = result.Report with { RowsRead = result.Report.RowsRead + rejectedBySource, DeadLettered = deadLetters.Count };
        var summary = MigrationSummary.From(report, result.Elapsed, cpu, peak.Bytes, result.Stopped);
        PrintReport(report, summary, deadLetters);
        if (parse.GetValue(SummaryJson) is { } summaryFile)
        {
            await File.WriteAllTextAsync(summaryFile.FullName, summary.ToJson(), CancellationToken.None).ConfigureAwait(false);
        }

        return result.Stopped ? ExitCodes.Stopped
            : report.Missing > 0 || report.Changed > 0 ? ExitCodes.VerificationFailed
            : ExitCodes.Success;
    }

    private static void PrintReport(IntegrityReport report, MigrationSummary summary, JsonLinesDeadLetterSink deadLetters)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("rows read", report.RowsRead.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        grid.AddRow("rows written", report.RowsWritten.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        grid.AddRow("dead-lettered", $"{report.DeadLettered:N0}" + (report.DeadLettered > 0 ? $" (see {deadLetters.Path})" : string.Empty));
        grid.AddRow("verified", $"{report.Matched:N0} matched, {report.Missing:N0} missing, {report.Changed:N0} changed ({report.Mode})");
        grid.AddRow("retries", report.Retries.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        grid.AddRow("time", $"{summary.ElapsedSeconds:0.0} s, {summary.RowsPerSecond:N0} rows/s, {summary.CpuSeconds:0.0} CPU-s, peak {summary.PeakWorkingSetBytes / (1024 * 1024):N0} MiB");
        AnsiConsole.Write(grid);
        foreach (string key in report.MissingKeys.Take(10))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]missing[/] {key}");
        }

        foreach (string key in report.ChangedKeys.Take(10))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]changed[/] {key}");
        }
    }

    private static int BadInput(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return ExitCodes.BadInput;
    }

    /// <summary>Disposes what a lazily started resource turned out to be, if anything.</summary>
    private sealed class AsyncLifetime(Func<IAsyncDisposable?> resource) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => resource()?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    /// <summary>Disposes what a lazily created resource turned out to be, if anything.</summary>
    private sealed class Lifetime(Func<IDisposable?> resource) : IDisposable
    {
        public void Dispose() => resource()?.Dispose();
    }

    /// <summary>Samples the working set while a job runs; Process.PeakWorkingSet64 is not reliable on every OS.</summary>
    private sealed class PeakWorkingSet : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public PeakWorkingSet() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));

        public long Bytes
        {
            get
            {
                Sample();
                return Interlocked.Read(ref _peak);
            }
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            long now = Environment.WorkingSet;
            long seen;
            while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
            {
            }
        }
    }
}
