using StreamingFeatures.FeatureSets;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Jobs;

/// <summary>One comparison of a table with its source, as the host parsed it. Nothing is written.</summary>
public sealed record VerifyJobOptions
{
    /// <summary>Where the rows come from, read as a migration reads them.</summary>
    public required MigrationSource Source { get; init; }

    /// <summary>The feature set, with the table to compare.</summary>
    public required FeatureSetOptions FeatureSet { get; init; }

    public string? CredentialsFile { get; init; }

    public string? BillingProject { get; init; }

    public string? RowRestriction { get; init; }

    /// <summary>Read the BigQuery table as of this time: a migration's snapshot, to compare what it wrote.</summary>
    public DateTimeOffset? SnapshotTime { get; init; }

    public int MaxStreams { get; init; } = BigQuerySourceLimits.MaxStreamCount.Default;

    public int ReadStreams { get; init; } = BigQuerySourceLimits.MaxConcurrentStreams.Default;

    public BigQueryDataFormat DataFormat { get; init; } = BigQueryDataFormat.Arrow;

    /// <summary>Arrow buffer compression the BigQuery read session is asked for.</summary>
    public BigQueryArrowCompression ArrowCompression { get; init; } = BigQueryArrowCompression.Lz4Frame;

    /// <summary>
    /// This replica's share, 0 to <see cref="ShardCount"/> - 1: the source rows and table rows whose row key hashes
    /// to it. Every shard reads the whole source but reads back and scans only its share.
    /// </summary>
    public int ShardIndex { get; init; }

    public int ShardCount { get; init; } = 1;

    /// <summary>Rows per read-back request, read-back requests in flight, keys listed: as a migration's verification.</summary>
    public VerificationOptions Verification { get; init; } = new();

    /// <summary>
    /// Source and table keys held at once while ranges whose key sums differ are searched for extra rows (about 40
    /// bytes each); more such keys cost one more read of the source per this many (one range with more is searched
    /// in slices by key hash).
    /// </summary>
    public long ExactPassMaxKeys { get; init; } = VerificationLimits.ExactPassKeys.Default;

    /// <summary>How long each Bigtable and BigQuery call retries a lost connection; null keeps each call's default.</summary>
    public TimeSpan? RetryDeadline { get; init; }
}
