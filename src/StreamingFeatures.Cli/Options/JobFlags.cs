using System.CommandLine;
using System.Globalization;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Jobs;
using StreamingFeatures.Resilience;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Cli.Options;

/// <summary>
/// The flags every job that reads a source and a Bigtable table takes (migrate, verify; get takes the table's): what to read, which table,
/// where, and how patiently. One definition and one parse, so the commands name and check them the same way.
/// </summary>
internal sealed class JobFlags(bool forVerify)
{
    /// <summary>The flags as <c>migrate</c> shows them: help that speaks of migrating.</summary>
    public static readonly JobFlags Migrate = new(forVerify: false);

    /// <summary>The same flags as the read-only commands (<c>verify</c>, <c>get</c>) show them: help without writes or resumes.</summary>
    public static readonly JobFlags Verify = new(forVerify: true);

    public readonly Option<string> Source = new("--source") { Description = (forVerify ? "The source to compare the table with, read as a migration reads it: sample" : "Where the rows to migrate come from: sample (a sample table in the built-in BigQuery Storage emulator, read through the Storage Read API), synthetic (the same rows from the generator), files:GLOB.parquet, files:GLOB.csv, or bigquery:TABLE with TABLE as projects/P/datasets/D/tables/T, P.D.T or P:D.T."), DefaultValueFactory = _ => "sample" };
    public readonly Option<FileInfo?> FeatureSetFile = new("--feature-set") { Description = forVerify ? "The feature set the table was written with (JSON or YAML). Default: the sample table's." : "The feature set (JSON or YAML). Default: the sample table's." };
    public readonly Option<string?> Project = new("--project") { Description = forVerify ? "Google Cloud project of the Bigtable instance holding the table. Without it, the table is read from the emulator BIGTABLE_EMULATOR_HOST names." : "Google Cloud project of the Bigtable instance. Without it, the job runs locally on the emulator." };
    public readonly Option<string?> Instance = new("--instance") { Description = "Bigtable instance id." };
    public readonly Option<string?> AppProfile = new("--app-profile") { Description = forVerify ? "Bigtable app profile for the reads." : "Bigtable app profile for the writes." };
    public readonly Option<string?> Table = new("--table") { Description = forVerify ? "The Bigtable table to read; overrides the feature set's." : "Bigtable table id; overrides the feature set's." };
    public readonly Option<bool> Local = new("--local") { Description = forVerify ? "Read a table on local emulators (the default when no --project is given); BIGTABLE_EMULATOR_HOST must name the one holding it." : "Run on local emulators (the default when no --project is given); honours BIGTABLE_EMULATOR_HOST." };
    public readonly Option<long> SampleRows = new Option<long>("--sample-rows") { Description = "Rows of the sample table.", DefaultValueFactory = _ => MigrationJobLimits.SampleRows.Default }.WholeNumber();
    public readonly Option<int> SampleFeatures = new Option<int>("--sample-features") { Description = "Int64 features per row of the sample table.", DefaultValueFactory = _ => MigrationJobLimits.SampleFeatures.Default }.WholeNumber();
    public readonly Option<string?> LogFormat = LogFormats.Option(forVerify ? "the plan, progress, every message and the report" : "the plan, progress, every message and the summary");
    public readonly Option<string?> BillingProject = new("--billing-project") { Description = "Project billed for BigQuery reads. Default: the table's project." };
    public readonly Option<string?> RowRestriction = new("--row-restriction") { Description = "A BigQuery filter on the source rows, e.g. \"event_time >= '2026-01-01'\"." };
    public readonly Option<DateTimeOffset?> SnapshotTime = new Option<DateTimeOffset?>("--snapshot-time") { Description = forVerify ? "Read the BigQuery table as of this time (RFC 3339, e.g. 2026-11-26T00:00:00Z): a migration's snapshot time (its report shows it) compares what it wrote. Default: when the comparison starts." : "Read the BigQuery table as of this time (RFC 3339, e.g. 2026-11-26T00:00:00Z). Default: when the job starts; a resumed job keeps its first run's." }.Rfc3339Time();
    public readonly Option<int> MaxStreams = new Option<int>("--max-streams") { Description = "Streams the BigQuery read session may have; 0 lets the service decide.", DefaultValueFactory = _ => BigQuerySourceLimits.MaxStreamCount.Default }.WholeNumber();
    public readonly Option<int> ReadStreams = new Option<int>("--read-streams") { Description = "BigQuery streams read at once.", DefaultValueFactory = _ => BigQuerySourceLimits.MaxConcurrentStreams.Default }.WholeNumber();
    public readonly Option<string> DataFormat = new("--data-format") { Description = "The format BigQuery Storage Read sessions send rows in: arrow (column batches, the default) or avro (binary rows)." + (forVerify ? string.Empty : " A resumed job keeps its first run's."), DefaultValueFactory = _ => "arrow" };
    public readonly Option<string> ArrowCompression = new("--arrow-compression") { Description = "Arrow buffer compression of BigQuery read sessions: lz4 (LZ4_FRAME, the default: fewer bytes from BigQuery for a little client CPU) or none. Avro sessions ignore it.", DefaultValueFactory = _ => "lz4" };
    public readonly Option<bool> CsvAllowQuotedNewlines = new("--csv-allow-quoted-newlines") { Description = "CSV sources: a quoted field may span lines (as BigQuery's allow_quoted_newlines). Default off: a line whose quote does not close on it is " + (forVerify ? "rejected alone (counted, not compared)." : "dead-lettered alone.") };
    public readonly Option<long> MaxRecordBytes = new Option<long>("--max-record-bytes") { Description = Invariant($"File sources: a CSV record or a Parquet string/bytes value longer than this is {(forVerify ? "rejected (counted, not compared)" : "dead-lettered (a prefix and its length kept)")}, {FileSourceLimits.MaxRecordBytes.Min} to {FileSourceLimits.MaxRecordBytes.Max}."), DefaultValueFactory = _ => FileSourceLimits.MaxRecordBytes.Default }.WholeNumber();
    public readonly Option<TimeSpan?> RetryDeadline = new Option<TimeSpan?>("--retry-deadline") { Description = $"How long each Bigtable and BigQuery call keeps retrying a lost connection (UNAVAILABLE) before the {(forVerify ? "comparison" : "migration")} stops naming it, {Show(CallRetryLimits.Deadline.Min)} to {Show(CallRetryLimits.Deadline.Max)} (the call's own time included; e.g. 90s, 5m). Default: {RetryDeadlineDefaults(forVerify)}." }.Duration(CallRetryLimits.Deadline.Min, CallRetryLimits.Deadline.Max);
    public readonly Option<FileInfo?> Credentials = new("--credentials") { Description = "A service-account key file. Default: Application Default Credentials." };

    /// <summary>The shared flags of <paramref name="command"/>, in the order its help lists them.</summary>
    public void AddTo(Command command, params Option[] own)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (Option option in (Option[])[Source, FeatureSetFile, Project, Instance, AppProfile, Table, Local, SampleRows, SampleFeatures, .. own,
            BillingProject, RowRestriction, SnapshotTime, MaxStreams, ReadStreams, DataFormat, ArrowCompression, Credentials, CsvAllowQuotedNewlines, MaxRecordBytes, RetryDeadline, LogFormat])
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The shared flags as settings (a command's own are left at their defaults), with every problem they have
    /// added to <paramref name="problems"/>; <c>--log-format json</c> takes effect here.
    /// </summary>
    public MigrationSettings Read(ParseResult parse, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(problems);
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

        return new MigrationSettings
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
            VerifyText = "full",
            DeadLetterFile = new FileInfo("streamingfeatures-dead-letters.jsonl"),
            BillingProject = parse.GetValue(BillingProject),
            RowRestriction = parse.GetValue(RowRestriction),
            SnapshotTime = parse.GetValue(SnapshotTime),
            MaxStreams = parse.GetValue(MaxStreams),
            ReadStreams = parse.GetValue(ReadStreams),
            DataFormat = dataFormat ?? BigQueryDataFormat.Arrow,
            ArrowCompression = compression ?? BigQueryArrowCompression.Lz4Frame,
            CredentialsFile = parse.GetValue(Credentials)?.FullName,
            CsvAllowQuotedNewlines = parse.GetValue(CsvAllowQuotedNewlines),
            MaxRecordBytes = parse.GetValue(MaxRecordBytes),
            RetryDeadline = parse.GetValue(RetryDeadline),
        };
    }

    /// <summary>Each call's own retry deadline, calls with the same one named together: "writes 10m, reads 5m, ...".</summary>
    private static string RetryDeadlineDefaults(bool forVerify) => string.Join(", ", new (string Call, TimeSpan Deadline)[]
        {
            ("writes", BigtableWriterLimits.RetryDeadline.Default),
            ("reads", BigQuerySourceLimits.RetryDeadline.Default),
            ("reads", CallRetryOptions.BigtableRead.Deadline),
            ("table admin", CallRetryOptions.BigtableAdmin.Deadline),
            ("checkpoint", CallRetryOptions.Checkpoint.Deadline),
        }
        .Where(d => !forVerify || d.Call == "reads")
        .GroupBy(d => d.Deadline)
        .Select(g => $"{string.Join(" and ", g.Select(d => d.Call).Distinct())} {Show(g.Key)}"));

    private static string Show(TimeSpan value) => DurationText.Format(value);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
