using System.CommandLine;
using System.Globalization;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Jobs;
using StreamingFeatures.Resilience;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Files;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Migrate;

/// <summary><c>streamingfeatures migrate</c>: moves a feature table into Bigtable and proves every row arrived.</summary>
internal static class MigrateCommand
{
    private static readonly Option<string> Source = new("--source") { Description = "Where rows come from: sample (a sample table in the built-in BigQuery Storage emulator, read through the Storage Read API), synthetic (the same rows from the generator), files:GLOB.parquet, files:GLOB.csv, or bigquery:TABLE with TABLE as projects/P/datasets/D/tables/T, P.D.T or P:D.T.", DefaultValueFactory = _ => "sample" };
    private static readonly Option<FileInfo?> FeatureSetFile = new("--feature-set") { Description = "The feature set (JSON or YAML). Default: the sample table's." };
    private static readonly Option<string?> Project = new("--project") { Description = "Google Cloud project of the Bigtable instance. Without it, the job runs locally on the emulator." };
    private static readonly Option<string?> Instance = new("--instance") { Description = "Bigtable instance id." };
    private static readonly Option<string?> AppProfile = new("--app-profile") { Description = "Bigtable app profile for the writes." };
    private static readonly Option<string?> Table = new("--table") { Description = "Bigtable table id; overrides the feature set's." };
    private static readonly Option<bool> Local = new("--local") { Description = "Run on local emulators (the default when no --project is given); honours BIGTABLE_EMULATOR_HOST." };
    private static readonly Option<long> SampleRows = new Option<long>("--sample-rows") { Description = "Rows of the sample table.", DefaultValueFactory = _ => MigrationJobLimits.SampleRows.Default }.WholeNumber();
    private static readonly Option<int> SampleFeatures = new Option<int>("--sample-features") { Description = "Int64 features per row of the sample table.", DefaultValueFactory = _ => MigrationJobLimits.SampleFeatures.Default }.WholeNumber();
    private static readonly Option<bool> NoCreate = new("--no-create") { Description = "Refuse to create the table or its column families." };
    private static readonly Option<string> Verify = new("--verify") { Description = "none | sample:RATE | full", DefaultValueFactory = _ => "full" };
    private static readonly Option<FileInfo?> SummaryJson = new("--summary-json") { Description = "Write the migration's figures (all runs) as JSON to this file." };
    private static readonly Option<FileInfo> DeadLetterFile = new("--dead-letter") { Description = "Dead-letter file (JSON lines, appended; created by the first dead letter). Its folder must exist.", DefaultValueFactory = _ => new FileInfo("streamingfeatures-dead-letters.jsonl") };
    private static readonly Option<string?> LogFormat = LogFormats.Option("the plan, progress, every message and the summary");
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Check configuration and schema, print the plan, write nothing." };
    private static readonly Option<string?> BillingProject = new("--billing-project") { Description = "Project billed for BigQuery reads. Default: the table's project." };
    private static readonly Option<string?> RowRestriction = new("--row-restriction") { Description = "A BigQuery filter on the source rows, e.g. \"event_time >= '2026-01-01'\"." };
    private static readonly Option<DateTimeOffset?> SnapshotTime = new Option<DateTimeOffset?>("--snapshot-time") { Description = "Read the BigQuery table as of this time (RFC 3339, e.g. 2026-11-26T00:00:00Z). Default: when the job starts; a resumed job keeps its first run's." }.Rfc3339Time();
    private static readonly Option<int> MaxStreams = new Option<int>("--max-streams") { Description = "Streams the BigQuery read session may have; 0 lets the service decide.", DefaultValueFactory = _ => BigQuerySourceLimits.MaxStreamCount.Default }.WholeNumber();
    private static readonly Option<int> ReadStreams = new Option<int>("--read-streams") { Description = "BigQuery streams read at once.", DefaultValueFactory = _ => BigQuerySourceLimits.MaxConcurrentStreams.Default }.WholeNumber();
    private static readonly Option<string> DataFormat = new("--data-format") { Description = "The format BigQuery Storage Read sessions send rows in: arrow (column batches, the default) or avro (binary rows). A resumed job keeps its first run's.", DefaultValueFactory = _ => "arrow" };
    private static readonly Option<string> ArrowCompression = new("--arrow-compression") { Description = "Arrow buffer compression of BigQuery read sessions: lz4 (LZ4_FRAME, the default: fewer bytes from BigQuery for a little client CPU) or none. Avro sessions ignore it.", DefaultValueFactory = _ => "lz4" };
    private static readonly Option<int> ShardIndex = new Option<int>("--shard-index") { Description = "This replica's shard, 0 to --shard-count - 1 (for a Kubernetes Indexed Job: $(JOB_COMPLETION_INDEX)).", DefaultValueFactory = _ => 0 }.WholeNumber();
    private static readonly Option<int> ShardCount = new Option<int>("--shard-count") { Description = "Replicas sharing the migration. They share one BigQuery read session (one scan of the table) of --shard-count x --read-streams streams; shard i reads streams j with j mod count = i. The first shard to start creates the session and records it in the checkpoint store, so a bigquery: source needs --checkpoint bigtable:TABLE (or a file every shard reaches).", DefaultValueFactory = _ => MigrationJobLimits.ShardCount.Default }.WholeNumber();
    private static readonly Option<string?> Checkpoint = new("--checkpoint") { Description = "Where progress is saved: a file path (default streamingfeatures-checkpoints/<job>.json), bigtable:TABLE (a table in the target instance), or none." };
    private static readonly Option<TimeSpan> CheckpointInterval = new Option<TimeSpan>("--checkpoint-interval") { Description = $"How often progress is saved, {Show(MigrationJobLimits.CheckpointInterval.Min)} to {Show(MigrationJobLimits.CheckpointInterval.Max)} (e.g. 90s, 5m; a bare number is seconds). Default {Show(MigrationJobLimits.CheckpointInterval.Default)}.", DefaultValueFactory = _ => MigrationJobLimits.CheckpointInterval.Default }.Duration(MigrationJobLimits.CheckpointInterval.Min, MigrationJobLimits.CheckpointInterval.Max);
    private static readonly Option<bool> Restart = new("--restart") { Description = "Ignore the saved checkpoint and start the migration over." };
    private static readonly Option<bool> CsvAllowQuotedNewlines = new("--csv-allow-quoted-newlines") { Description = "CSV sources: a quoted field may span lines (as BigQuery's allow_quoted_newlines). Default off: a line whose quote does not close on it is dead-lettered alone." };
    private static readonly Option<long> MaxRecordBytes = new Option<long>("--max-record-bytes") { Description = Invariant($"File sources: a CSV record or a Parquet string/bytes value longer than this is dead-lettered (a prefix and its length kept), {FileSourceLimits.MaxRecordBytes.Min} to {FileSourceLimits.MaxRecordBytes.Max}."), DefaultValueFactory = _ => FileSourceLimits.MaxRecordBytes.Default }.WholeNumber();
    private static readonly Option<TimeSpan?> RetryDeadline = new Option<TimeSpan?>("--retry-deadline") { Description = $"How long each Bigtable and BigQuery call keeps retrying a lost connection (UNAVAILABLE) before the job stops naming it, {Show(CallRetryLimits.Deadline.Min)} to {Show(CallRetryLimits.Deadline.Max)} (the call's own time included; e.g. 90s, 5m). Default: {RetryDeadlineDefaults()}." }.Duration(CallRetryLimits.Deadline.Min, CallRetryLimits.Deadline.Max);
    private static readonly Option<FileInfo?> Credentials = new("--credentials") { Description = "A service-account key file. Default: Application Default Credentials." };

    public static Command Create()
    {
        var command = new Command("migrate", "Migrate a feature table into Bigtable with verification; resumes from its checkpoint after a crash.")
        {
            Source, FeatureSetFile, Project, Instance, AppProfile, Table, Local, SampleRows, SampleFeatures, NoCreate, Verify, SummaryJson, DeadLetterFile, DryRun,
            BillingProject, RowRestriction, SnapshotTime, MaxStreams, ReadStreams, DataFormat, ArrowCompression, ShardIndex, ShardCount, Checkpoint, CheckpointInterval, Restart, Credentials,
            CsvAllowQuotedNewlines, MaxRecordBytes, RetryDeadline, LogFormat,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken));
        return command.WithExitCodes(
            new ExitCode(ExitCodes.Success, "Every row written (and verified, unless --verify none); or a dry run found the plan sound."),
            new ExitCode(ExitCodes.Failure, "Another failure (Bigtable unreachable, a fatal write fault); progress is saved and the same command resumes."),
            new ExitCode(ExitCodes.BadInput, "Bad flags, feature set, source, environment or checkpoint, found before anything was written."),
            new ExitCode(ExitCodes.VerificationFailed, "Verification found missing or changed rows (listed in the report)."),
            new ExitCode(ExitCodes.Stopped, "Stopped by Ctrl+C or SIGTERM after draining; progress is saved and the same command resumes."));
    }

    private static Task<int> RunAsync(ParseResult parse, CancellationToken stop)
    {
        var problems = new List<string>();
        string verifyText = parse.GetValue(Verify)!;
        if (!VerifySpec.TryParse(verifyText, out VerificationOptions verification, out string verifyError))
        {
            problems.Add(verifyError);
        }

        string source = parse.GetValue(Source)!;
        SourceKind? kind = SourceSpec.KindOf(source, out string? bigQueryTable);
        if (kind is null)
        {
            problems.Add($"--source is '{source}'; allowed: {SourceSpec.Allowed}.");
        }
        else if (kind == SourceKind.BigQuery)
        {
            if (bigQueryTable is null)
            {
                problems.Add($"--source is '{source}': not a BigQuery table name; allowed: bigquery:{BigQueryTableName.Forms} (dataset: letters, digits and underscores).");
            }
            else
            {
                // One job, however its table was spelled: the identity (and the checkpoint's name) uses the API form.
                source = "bigquery:" + bigQueryTable;
            }
        }

        string? logFormat = parse.GetValue(LogFormat);
        if (LogFormats.Problem(logFormat) is { } logFormatProblem)
        {
            problems.Add(logFormatProblem);
        }
        else if (LogFormats.Resolve(logFormat) == Options.LogFormat.Json)
        {
            JsonLines.Enable();
        }

        string dataFormatText = parse.GetValue(DataFormat)!;
        BigQueryDataFormat? dataFormat = MigrationSettings.ParseDataFormat(dataFormatText);
        if (dataFormat is null)
        {
            problems.Add($"--data-format is '{dataFormatText}'; allowed: arrow, avro.");
        }

        string compressionText = parse.GetValue(ArrowCompression)!;
        BigQueryArrowCompression? compression = MigrationSettings.ParseArrowCompression(compressionText);
        if (compression is null)
        {
            problems.Add($"--arrow-compression is '{compressionText}'; allowed: lz4, none.");
        }

        var settings = new MigrationSettings
        {
            Source = source,
            SourceKind = kind ?? SourceKind.Sample,
            BigQueryTable = bigQueryTable,
            FeatureSetFile = parse.GetValue(FeatureSetFile),
            Project = parse.GetValue(Project),
            Instance = parse.GetValue(Instance),
            AppProfile = parse.GetValue(AppProfile),
            Table = parse.GetValue(Table),
            Local = parse.GetValue(Local),
            SampleRows = parse.GetValue(SampleRows),
            SampleFeatures = parse.GetValue(SampleFeatures),
            NoCreate = parse.GetValue(NoCreate),
            VerifyText = verifyText.Trim().ToLowerInvariant(),
            Verification = verification,
            SummaryJson = parse.GetValue(SummaryJson),
            DeadLetterFile = parse.GetValue(DeadLetterFile)!,
            DryRun = parse.GetValue(DryRun),
            BillingProject = parse.GetValue(BillingProject),
            RowRestriction = parse.GetValue(RowRestriction),
            SnapshotTime = parse.GetValue(SnapshotTime),
            MaxStreams = parse.GetValue(MaxStreams),
            ReadStreams = parse.GetValue(ReadStreams),
            DataFormat = dataFormat ?? BigQueryDataFormat.Arrow,
            ArrowCompression = compression ?? BigQueryArrowCompression.Lz4Frame,
            ShardIndex = parse.GetValue(ShardIndex),
            ShardCount = parse.GetValue(ShardCount),
            Checkpoint = MigrationSettings.ParseCheckpoint(parse.GetValue(Checkpoint), out string? checkpointProblem),
            CheckpointInterval = parse.GetValue(CheckpointInterval),
            Restart = parse.GetValue(Restart),
            CredentialsFile = parse.GetValue(Credentials)?.FullName,
            CsvAllowQuotedNewlines = parse.GetValue(CsvAllowQuotedNewlines),
            MaxRecordBytes = parse.GetValue(MaxRecordBytes),
            RetryDeadline = parse.GetValue(RetryDeadline),
        };
        problems.AddRange(settings.Problems());
        if (checkpointProblem is not null)
        {
            problems.Add(checkpointProblem);
        }

        if (problems.Count == 0)
        {
            // The file system and the environment only once the flags make sense.
            problems.AddRange(MigrationPreflight.Problems(settings, Environment.GetEnvironmentVariable));
        }

        if (problems.Count > 0)
        {
            return Task.FromResult(MigrationRunner.BadInput(string.Join(Environment.NewLine + "error: ", problems)));
        }

        return new MigrationRunner(settings).RunAsync(stop);
    }

    /// <summary>For messages: a count with thousands separators.</summary>
    internal static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Each call's own retry deadline, calls with the same one named together: "writes 10m, reads 5m, ...".</summary>
    private static string RetryDeadlineDefaults() => string.Join(", ", new (string Call, TimeSpan Deadline)[]
        {
            ("writes", BigtableWriterLimits.RetryDeadline.Default),
            ("reads", BigQuerySourceLimits.RetryDeadline.Default),
            ("reads", CallRetryOptions.BigtableRead.Deadline),
            ("table admin", CallRetryOptions.BigtableAdmin.Deadline),
            ("checkpoint", CallRetryOptions.Checkpoint.Deadline),
        }
        .GroupBy(d => d.Deadline)
        .Select(g => $"{string.Join(" and ", g.Select(d => d.Call).Distinct())} {Show(g.Key)}"));

    private static string Show(TimeSpan value) => DurationText.Format(value);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
