using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Jobs;

/// <summary>One migration, as the host parsed it: what it reads, where it writes, how it saves progress.</summary>
public sealed record MigrationJobOptions
{
    public required MigrationSource Source { get; init; }

    /// <summary>The feature set, with the table the rows go to.</summary>
    public required FeatureSetOptions FeatureSet { get; init; }

    /// <summary>The Bigtable the job writes to, as it names the job: <c>projects/P/instances/I</c>, or an emulator.</summary>
    public required string Target { get; init; }

    public VerificationOptions Verification { get; init; } = new();

    /// <summary>The verification as it names the job (<c>none</c>, <c>full</c>, <c>sample:RATE</c> as written).</summary>
    public string VerifyText { get; init; } = "full";

    /// <summary>Where progress is saved; null: a file named by the job in <see cref="MigrationJob.DefaultCheckpointFolder"/>.</summary>
    public CheckpointStoreSpec? Checkpoint { get; init; }

    public TimeSpan CheckpointInterval { get; init; } = MigrationJobLimits.CheckpointInterval.Default;

    /// <summary>Ignore the saved checkpoint and start over.</summary>
    public bool Restart { get; init; }

    public TableProvisioning Provisioning { get; init; } = TableProvisioning.Create;

    /// <summary>The dead-letter file (JSON lines, appended).</summary>
    public required string DeadLetterFile { get; init; }

    /// <summary>How long each Bigtable and BigQuery call retries a lost connection; null keeps each call's default.</summary>
    public TimeSpan? RetryDeadline { get; init; }

    public string? CredentialsFile { get; init; }

    public string? BillingProject { get; init; }

    public string? RowRestriction { get; init; }

    public DateTimeOffset? SnapshotTime { get; init; }

    /// <summary>Streams the read session may have; 0 lets the service decide.</summary>
    public int MaxStreams { get; init; } = BigQuerySourceLimits.MaxStreamCount.Default;

    public int ReadStreams { get; init; } = BigQuerySourceLimits.MaxConcurrentStreams.Default;

    public BigQueryDataFormat DataFormat { get; init; } = BigQueryDataFormat.Arrow;

    /// <summary>Arrow buffer compression asked of a new read session; not part of the job's identity (the rows are the same).</summary>
    public BigQueryArrowCompression ArrowCompression { get; init; } = BigQueryArrowCompression.Lz4Frame;

    public int ShardIndex { get; init; }

    public int ShardCount { get; init; } = MigrationJobLimits.ShardCount.Default;

    /// <summary>
    /// Shards of a shared read session take over the tail of a straggler's stream once their own are read
    /// (SplitReadStream, recorded in the split log beside the plan). Default on.
    /// </summary>
    public bool WorkStealing { get; init; } = true;

    /// <summary>
    /// Only prepared and shown, never run: a shard records no plan (it reads one already recorded, or opens a session
    /// of its own to show).
    /// </summary>
    public bool DryRun { get; init; }
}
