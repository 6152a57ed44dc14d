namespace StreamingFeatures.FeatureSets;

/// <summary>
/// How a row key is built: <c>[bucket#]entity[#reversed-time]</c>, where the bucket is a short prefix from a stable
/// hash of the entity key, so sequential ids spread over the key space and never hotspot one tablet.
/// </summary>
public sealed class RowKeyOptions
{
    /// <summary>Largest accepted <see cref="Buckets"/>.</summary>
    public const int MaxBuckets = 65_536;

    /// <summary>Prefix each key with its hash bucket. Default true; turn off only for keys already spread.</summary>
    public bool BucketPrefix { get; set; } = true;

    /// <summary>How many buckets (1 to 65,536). Default 64. Changing it re-keys every row.</summary>
    public int Buckets { get; set; } = 64;

    /// <summary>
    /// Joins the parts of the key: the bucket, the fields of a composite entity key, the time suffix. One ASCII
    /// character; a delimiter (or backslash) inside a field is escaped with a backslash. Default <c>#</c>.
    /// </summary>
    public string Delimiter { get; set; } = "#";

    /// <summary>
    /// Append <c>Int64.MaxValue - eventTimeMillis</c> (19 digits) so a time series lists newest first.
    /// Default false: one row per entity, newest event per cell.
    /// </summary>
    public bool ReversedTimeSuffix { get; set; }
}
