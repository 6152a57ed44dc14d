namespace StreamingFeatures.Resilience;

/// <summary>
/// How one kind of call retries transient failures: exponential backoff with jitter, each attempt bounded by
/// <see cref="AttemptTimeout"/>, all attempts together by <see cref="Deadline"/>. Named presets hold each call's defaults.
/// </summary>
public sealed record CallRetryOptions
{
    /// <summary>All attempts of one call together (1 s to 1 h); past it the call gives up, naming itself.</summary>
    public TimeSpan Deadline { get; init; } = CallRetryLimits.Deadline.Default;

    /// <summary>One attempt (100 ms to 10 min); a stalled connection fails the attempt with DEADLINE_EXCEEDED, which is retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = CallRetryLimits.AttemptTimeout.Default;

    /// <summary>First backoff (1 ms to 1 min); doubles per attempt, with jitter.</summary>
    public TimeSpan InitialBackoff { get; init; } = CallRetryLimits.InitialBackoff.Default;

    /// <summary>Longest backoff (1 ms to 10 min), at least <see cref="InitialBackoff"/>.</summary>
    public TimeSpan MaxBackoff { get; init; } = CallRetryLimits.MaxBackoff.Default;

    /// <summary>Attempts including the first (1 to 10,000), or null for as many as the deadline allows.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Spreads each backoff over 50–100 % of its value; off, every wait is the full doubling.</summary>
    public bool Jitter { get; init; } = true;

    /// <summary>Bigtable ReadRows (verification read-back): 5 min, 60 s per attempt (a job reads up to 10,000 rows).</summary>
    public static CallRetryOptions BigtableRead { get; } = new() { Deadline = TimeSpan.FromMinutes(5), AttemptTimeout = TimeSpan.FromSeconds(60) };

    /// <summary>Bigtable admin calls (GetTable, CreateTable, ModifyColumnFamilies): 2 min, 30 s per attempt.</summary>
    public static CallRetryOptions BigtableAdmin { get; } = new();

    /// <summary>The Bigtable checkpoint store (ReadRows of one row, MutateRow): 2 min, 30 s per attempt.</summary>
    public static CallRetryOptions Checkpoint { get; } = new();

    /// <summary>BigQuery CreateReadSession: 5 min, 60 s per attempt (a large table's session takes seconds to plan).</summary>
    public static CallRetryOptions BigQuerySession { get; } = new() { Deadline = TimeSpan.FromMinutes(5), AttemptTimeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// BigQuery ReadRows, resumed at its offset after a break: 5 min and 100 attempts without progress, backoff
    /// without jitter. A stream carries no deadline of its own (it reads for as long as the table takes).
    /// </summary>
    public static CallRetryOptions BigQueryRead { get; } = new() { Deadline = TimeSpan.FromMinutes(5), MaxAttempts = 100, Jitter = false };

    /// <summary>Pub/Sub Publish to the dead-letter topic: 4 attempts, 30 s each, 200 ms backoff doubling without jitter.</summary>
    public static CallRetryOptions DeadLetterPublish { get; } = new()
    {
        Deadline = TimeSpan.FromMinutes(3),
        AttemptTimeout = TimeSpan.FromSeconds(30),
        InitialBackoff = TimeSpan.FromMilliseconds(200),
        MaxBackoff = TimeSpan.FromSeconds(2),
        MaxAttempts = 4,
        Jitter = false,
    };

    /// <summary>
    /// Pub/Sub Acknowledge and ModifyAckDeadline: 5 attempts, 60 s each, 1 s backoff doubling up to 32 s without
    /// jitter (the deadline never cuts in first). Ids still refused after that are redelivered by Pub/Sub, never lost.
    /// </summary>
    public static CallRetryOptions PubSubAck { get; } = new()
    {
        Deadline = TimeSpan.FromMinutes(10),
        AttemptTimeout = TimeSpan.FromSeconds(60),
        InitialBackoff = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromSeconds(32),
        MaxAttempts = 5,
        Jitter = false,
    };

    /// <summary>This preset with another deadline; the attempt timeout shrinks to fit it.</summary>
    public CallRetryOptions WithDeadline(TimeSpan deadline) =>
        this with { Deadline = deadline, AttemptTimeout = AttemptTimeout < deadline ? AttemptTimeout : deadline };

    /// <summary>Every invalid setting, named with its value and the allowed range.</summary>
    public void Validate(List<string> errors, string prefix)
    {
        ArgumentNullException.ThrowIfNull(errors);
        OptionChecks.Range(errors, prefix + nameof(Deadline), Deadline, CallRetryLimits.Deadline);
        OptionChecks.Range(errors, prefix + nameof(AttemptTimeout), AttemptTimeout, CallRetryLimits.AttemptTimeout);
        OptionChecks.Range(errors, prefix + nameof(InitialBackoff), InitialBackoff, CallRetryLimits.InitialBackoff);
        OptionChecks.Range(errors, prefix + nameof(MaxBackoff), MaxBackoff, CallRetryLimits.MaxBackoff);
        if (MaxAttempts is { } attempts)
        {
            OptionChecks.Range(errors, prefix + nameof(MaxAttempts), attempts, CallRetryLimits.MaxAttempts);
        }

        if (MaxBackoff < InitialBackoff)
        {
            errors.Add($"{prefix}{nameof(MaxBackoff)} ({MaxBackoff}) is below {prefix}{nameof(InitialBackoff)} ({InitialBackoff}).");
        }
    }

    /// <summary>Throws with every invalid setting named.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        Validate(errors, string.Empty);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid retry options: " + string.Join(" ", errors));
        }
    }
}
