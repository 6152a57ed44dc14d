using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Jobs;

/// <summary>
/// The defaults and ranges of <see cref="MigrationJobOptions"/> and its sample source, in one place; the read
/// streams' are <see cref="Sources.BigQuery.BigQuerySourceLimits"/>, the retry deadline's <see cref="Resilience.CallRetryLimits.Deadline"/>.
/// </summary>
internal static class MigrationJobLimits
{
    public static readonly Limit<TimeSpan> CheckpointInterval = new(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));

    /// <summary>Shards share one read session; shard i reads its streams j with j mod count = i.</summary>
    public static readonly Limit<int> ShardCount = new(1, 1, 10_000);

    /// <summary>At least one row: an empty sample table proves nothing.</summary>
    public static readonly Limit<long> SampleRows = new(SyntheticSourceLimits.Rows.Default, 1, 10_000_000_000);

    public static readonly Limit<int> SampleFeatures = SyntheticSourceLimits.Features;
}
