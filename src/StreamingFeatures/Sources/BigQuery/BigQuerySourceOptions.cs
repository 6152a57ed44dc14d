using System.Globalization;
using System.Text.RegularExpressions;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>What to read from BigQuery through the Storage Read API, and how hard to try.</summary>
public sealed partial record BigQuerySourceOptions
{
    /// <summary>The table, <c>projects/P/datasets/D/tables/T</c>. Required.</summary>
    public string Table { get; init; } = "";

    /// <summary>The project billed for the read (the session's parent). Default: the table's project.</summary>
    public string? BillingProject { get; init; }

    /// <summary>Columns to read, in the table's order as the service returns them. Default: all.</summary>
    public IReadOnlyList<string>? SelectedFields { get; init; }

    /// <summary>A SQL filter the service applies, e.g. <c>event_time &gt; "2026-01-01"</c>. Default: none.</summary>
    public string? RowRestriction { get; init; }

    /// <summary>
    /// The snapshot to read. Default: the session's own snapshot, which <see cref="BigQueryReadSessionInfo.SnapshotTime"/>
    /// records so a resumed job can pin it.
    /// </summary>
    public DateTimeOffset? SnapshotTime { get; init; }

    /// <summary>
    /// The format the session serialises rows in: Arrow (default) or Avro. Both give the same rows and column types;
    /// Arrow decodes column by column, Avro value by value.
    /// </summary>
    public BigQueryDataFormat DataFormat { get; init; } = BigQueryDataFormat.Arrow;

    /// <summary>Streams the session may have (0 to 10,000; 0 lets the service decide). Default 0.</summary>
    public int MaxStreamCount { get; init; } = BigQuerySourceLimits.MaxStreamCount.Default;

    /// <summary>Streams read at once (1 to 1,000). Default 4.</summary>
    public int MaxConcurrentStreams { get; init; } = BigQuerySourceLimits.MaxConcurrentStreams.Default;

    /// <summary>
    /// Attempts per stream without progress before a transient error fails the read (1 to 1,000). A response that
    /// hands on rows resets the count. Default 100: <see cref="RetryDeadline"/> usually ends the retries first.
    /// </summary>
    public int MaxReadAttempts { get; init; } = BigQuerySourceLimits.MaxReadAttempts.Default;

    /// <summary>
    /// How long one call keeps retrying transient failures (a refused or reset connection, UNAVAILABLE) before the job
    /// stops naming it (1 s to 1 h): CreateReadSession from its first attempt, a ReadRows stream from its last
    /// progress. Default 5 min.
    /// </summary>
    public TimeSpan RetryDeadline { get; init; } = BigQuerySourceLimits.RetryDeadline.Default;

    /// <summary>Wait before the first retry (0 to 1 minute); doubles per attempt up to <see cref="MaxBackoff"/>. Default 100 ms.</summary>
    public TimeSpan InitialBackoff { get; init; } = BigQuerySourceLimits.InitialBackoff.Default;

    /// <summary>Longest wait between attempts (at least <see cref="InitialBackoff"/>, at most 10 minutes). Default 10 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = BigQuerySourceLimits.MaxBackoff.Default;

    /// <summary>
    /// Offsets (partition → rows already handed on) a checkpointed job resumes from. Offsets belong to the session's
    /// streams: valid while the stream split is the same (the built-in emulator's split is deterministic). Default: none.
    /// </summary>
    public IReadOnlyDictionary<int, long>? StartOffsets { get; init; }

    /// <summary>Partitions an earlier run read to their end: not read again. Default: none.</summary>
    public IReadOnlySet<int>? CompletedStreams { get; init; }

    /// <summary>
    /// Shards sharing one read session (1 to 10,000): this source reads the streams <c>j</c> with
    /// <c>j mod ShardCount = ShardIndex</c>, the other shards the rest. Default 1 (every stream).
    /// </summary>
    public int ShardCount { get; init; } = 1;

    /// <summary>This source's shard, 0 to <see cref="ShardCount"/> - 1. Default 0.</summary>
    public int ShardIndex { get; init; }

    /// <summary>Whether stream <paramref name="partition"/> is this shard's to read.</summary>
    public bool OwnsStream(int partition) => partition % ShardCount == ShardIndex;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The table's project, dataset and table id; throws when <see cref="Table"/> is malformed.</summary>
    internal (string Project, string Dataset, string Table) TableParts
    {
        get
        {
            Match match = TablePattern().Match(Table);
            return match.Success
                ? (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value)
                : throw new ArgumentException($"Table is '{Table}'; expected projects/P/datasets/D/tables/T.");
        }
    }

    internal string EffectiveBillingProject => BillingProject ?? TableParts.Project;

    /// <summary>Checks every setting and reports all problems together.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (!TablePattern().IsMatch(Table ?? ""))
        {
            errors.Add($"Table is '{Table}'; expected projects/P/datasets/D/tables/T.");
        }

        if (BillingProject is not null && string.IsNullOrWhiteSpace(BillingProject))
        {
            errors.Add("BillingProject is empty; leave it unset to bill the table's project.");
        }

        if (SelectedFields is not null && SelectedFields.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("SelectedFields contains an empty name.");
        }

        if (!Enum.IsDefined(DataFormat))
        {
            errors.Add(Invariant($"DataFormat is {(int)DataFormat}; allowed Arrow or Avro."));
        }

        ValidateCompression(errors);
        OptionChecks.Range(errors, nameof(MaxStreamCount), MaxStreamCount, BigQuerySourceLimits.MaxStreamCount);
        OptionChecks.Range(errors, nameof(MaxConcurrentStreams), MaxConcurrentStreams, BigQuerySourceLimits.MaxConcurrentStreams);
        OptionChecks.Range(errors, nameof(MaxReadAttempts), MaxReadAttempts, BigQuerySourceLimits.MaxReadAttempts);
        OptionChecks.Range(errors, nameof(RetryDeadline), RetryDeadline, BigQuerySourceLimits.RetryDeadline);
        OptionChecks.Range(errors, nameof(InitialBackoff), InitialBackoff, BigQuerySourceLimits.InitialBackoff);
        if (MaxBackoff < InitialBackoff || MaxBackoff > BigQuerySourceLimits.MaxBackoff.Max)
        {
            errors.Add(Invariant($"MaxBackoff is {MaxBackoff}; allowed InitialBackoff ({InitialBackoff}) to {BigQuerySourceLimits.MaxBackoff.Max}."));
        }

        if (StartOffsets is not null && StartOffsets.Any(o => o.Key < 0 || o.Value < 0))
        {
            errors.Add("StartOffsets holds a negative partition or offset.");
        }

        if (ShardCount < 1 || ShardCount > 10_000 || ShardIndex < 0 || ShardIndex >= ShardCount)
        {
            errors.Add(Invariant($"ShardIndex is {ShardIndex} of ShardCount {ShardCount}; allowed a count of 1 to 10000 and an index of 0 to count - 1."));
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider is null.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid BigQuery source options: " + string.Join(" ", errors));
        }
    }

    /// <summary>CreateReadSession's retries: within <see cref="RetryDeadline"/>, at most 60 s per attempt, this source's backoff.</summary>
    internal Resilience.CallRetryOptions SessionRetry => Resilience.CallRetryOptions.BigQuerySession.WithDeadline(RetryDeadline) with
    {
        InitialBackoff = InitialBackoff > TimeSpan.FromMilliseconds(1) ? InitialBackoff : TimeSpan.FromMilliseconds(1),
        MaxBackoff = MaxBackoff > TimeSpan.FromMilliseconds(1) ? MaxBackoff : TimeSpan.FromMilliseconds(1),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)$")]
    private static partial Regex TablePattern();
}
