using System.Globalization;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Jobs;
using StreamingFeatures.Resilience;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Files;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Migrate;

internal enum SourceKind
{
    Sample,
    Synthetic,
    Files,
    BigQuery,
}

/// <summary>The migrate command's flags, parsed and checked together before anything starts.</summary>
internal sealed partial record MigrationSettings
{
    public required string Source { get; init; }

    public SourceKind SourceKind { get; init; }

    /// <summary><c>projects/P/datasets/D/tables/T</c> for a BigQuery source.</summary>
    public string? BigQueryTable { get; init; }

    public FileInfo? FeatureSetFile { get; init; }

    public string? Project { get; init; }

    public string? Instance { get; init; }

    public string? AppProfile { get; init; }

    public string? Table { get; init; }

    public bool Local { get; init; }

    public long SampleRows { get; init; }

    public int SampleFeatures { get; init; } = MigrationJobLimits.SampleFeatures.Default;

    public bool NoCreate { get; init; }

    public required string VerifyText { get; init; }

    public VerificationOptions Verification { get; init; } = new();

    public FileInfo? SummaryJson { get; init; }

    public required FileInfo DeadLetterFile { get; init; }

    public bool DryRun { get; init; }

    /// <summary>Record the shards' read session in the checkpoint store, print it, read and write nothing.</summary>
    public bool PlanOnly { get; init; }

    public string? BillingProject { get; init; }

    public string? RowRestriction { get; init; }

    public DateTimeOffset? SnapshotTime { get; init; }

    public int MaxStreams { get; init; }

    public int ReadStreams { get; init; } = BigQuerySourceLimits.MaxConcurrentStreams.Default;

    /// <summary>The format of BigQuery read sessions (sample and bigquery sources).</summary>
    public BigQueryDataFormat DataFormat { get; init; } = BigQueryDataFormat.Arrow;

    /// <summary>Arrow buffer compression of BigQuery read sessions.</summary>
    public BigQueryArrowCompression ArrowCompression { get; init; } = BigQueryArrowCompression.Lz4Frame;

    public int ShardIndex { get; init; }

    public int ShardCount { get; init; } = MigrationJobLimits.ShardCount.Default;

    /// <summary>Shards take over the tail of a straggler's stream once their own are read (off: --no-work-stealing).</summary>
    public bool WorkStealing { get; init; } = true;

    /// <summary>Where progress is saved; null for the job's default file.</summary>
    public CheckpointStoreSpec? Checkpoint { get; init; }

    public TimeSpan CheckpointInterval { get; init; } = MigrationJobLimits.CheckpointInterval.Default;

    public bool Restart { get; init; }

    public string? CredentialsFile { get; init; }

    /// <summary>CSV sources: quoted fields may span lines.</summary>
    public bool CsvAllowQuotedNewlines { get; init; }

    /// <summary>File sources: the longest CSV record or Parquet byte-array value.</summary>
    public long MaxRecordBytes { get; init; } = FileSourceLimits.MaxRecordBytes.Default;

    /// <summary>How long each Bigtable and BigQuery call retries a lost connection; null keeps each call's default.</summary>
    public TimeSpan? RetryDeadline { get; init; }

    /// <summary>Every problem with the flags, each naming the flag, its value and what is allowed.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Local && (Project is not null || Instance is not null))
        {
            // Otherwise the plan would name the production table while the rows went to the emulator.
            string named = string.Join(" ", new[] { Project is null ? null : $"--project {Project}", Instance is null ? null : $"--instance {Instance}" }.OfType<string>());
            problems.Add($"--local runs on the emulator, but {named} names a Google Cloud instance; drop --local to write there, or drop {named} to run locally.");
        }

        if (!MigrationJobLimits.ShardCount.Allows(ShardCount))
        {
            problems.Add(Invariant($"--shard-count is {ShardCount}; allowed {MigrationJobLimits.ShardCount.Min} to {MigrationJobLimits.ShardCount.Max}."));
        }
        else if (ShardIndex < 0 || ShardIndex >= ShardCount)
        {
            problems.Add(Invariant($"--shard-index is {ShardIndex}; allowed 0 to {ShardCount - 1} with --shard-count {ShardCount}."));
        }

        if (ShardCount > 1 && SourceKind is not (SourceKind.Sample or SourceKind.BigQuery))
        {
            problems.Add($"--shard-count {ShardCount} needs a BigQuery source (sample or bigquery:TABLE): shards split one read session's streams. Give each replica its own files instead.");
        }
        else if (ShardCount > 1 && SourceKind is SourceKind.BigQuery && Checkpoint is not (CheckpointStoreSpec.Bigtable or CheckpointStoreSpec.File))
        {
            // The shards' one read session is recorded in the checkpoint store: a store each shard keeps to itself
            // (the default local folder) would let every shard create its own session and split the table differently.
            string value = Checkpoint is null ? "not given (a local file per shard)" : "none";
            problems.Add($"--checkpoint is {value}; --shard-count {ShardCount} shares one read session through the checkpoint store: name --checkpoint bigtable:TABLE, or a file on a volume every shard mounts.");
        }

        problems.AddRange(PlanOnlyProblems());
        if (RowRestriction is not null && SourceKind is not (SourceKind.Sample or SourceKind.BigQuery))
        {
            problems.Add("--row-restriction applies to BigQuery sources only.");
        }

        if (DataFormat != BigQueryDataFormat.Arrow && SourceKind is not (SourceKind.Sample or SourceKind.BigQuery))
        {
            problems.Add($"--data-format {DataFormat.ToString().ToLowerInvariant()} applies to BigQuery sources only (sample or bigquery:TABLE).");
        }

        if (!MigrationJobLimits.SampleRows.Allows(SampleRows))
        {
            problems.Add(Invariant($"--sample-rows is {SampleRows}; allowed {MigrationJobLimits.SampleRows.Min} to {MigrationJobLimits.SampleRows.Max}."));
        }

        if (!MigrationJobLimits.SampleFeatures.Allows(SampleFeatures))
        {
            problems.Add(Invariant($"--sample-features is {SampleFeatures}; allowed {MigrationJobLimits.SampleFeatures.Min} to {MigrationJobLimits.SampleFeatures.Max}."));
        }

        if (!BigQuerySourceLimits.MaxStreamCount.Allows(MaxStreams))
        {
            problems.Add(Invariant($"--max-streams is {MaxStreams}; allowed {BigQuerySourceLimits.MaxStreamCount.Min} (the service decides) to {BigQuerySourceLimits.MaxStreamCount.Max}."));
        }

        if (!BigQuerySourceLimits.MaxConcurrentStreams.Allows(ReadStreams))
        {
            problems.Add(Invariant($"--read-streams is {ReadStreams}; allowed {BigQuerySourceLimits.MaxConcurrentStreams.Min} to {BigQuerySourceLimits.MaxConcurrentStreams.Max}."));
        }

        if (!MigrationJobLimits.CheckpointInterval.Allows(CheckpointInterval))
        {
            problems.Add(Invariant($"--checkpoint-interval is {CheckpointInterval.TotalSeconds} s; allowed {MigrationJobLimits.CheckpointInterval.Min.TotalSeconds} to {MigrationJobLimits.CheckpointInterval.Max.TotalSeconds}."));
        }

        if (RetryDeadline is { } deadline && !CallRetryLimits.Deadline.Allows(deadline))
        {
            problems.Add(Invariant($"--retry-deadline is {deadline.TotalSeconds} s; allowed {CallRetryLimits.Deadline.Min.TotalSeconds} to {CallRetryLimits.Deadline.Max.TotalSeconds}."));
        }

        if (MaxRecordBytes < FileSourceLimits.MaxRecordBytes.Min || MaxRecordBytes > FileSourceLimits.MaxRecordBytes.Max)
        {
            problems.Add(Invariant($"--max-record-bytes is {MaxRecordBytes}; allowed {FileSourceLimits.MaxRecordBytes.Min} to {FileSourceLimits.MaxRecordBytes.Max} (Bigtable's 100 MiB cell limit)."));
        }

        if (CsvAllowQuotedNewlines && !Source.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("--csv-allow-quoted-newlines applies to CSV sources only (files:GLOB.csv).");
        }

        return problems;
    }

    /// <summary><c>arrow</c> or <c>avro</c> (any case), or null.</summary>
    public static BigQueryDataFormat? ParseDataFormat(string text) => text.Trim().ToLowerInvariant() switch
    {
        "arrow" => BigQueryDataFormat.Arrow,
        "avro" => BigQueryDataFormat.Avro,
        _ => null,
    };

    /// <summary><c>lz4</c> or <c>none</c> (any case), or null.</summary>
    public static BigQueryArrowCompression? ParseArrowCompression(string text) => text.Trim().ToLowerInvariant() switch
    {
        "lz4" => BigQueryArrowCompression.Lz4Frame,
        "none" => BigQueryArrowCompression.None,
        _ => null,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
