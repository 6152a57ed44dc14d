namespace StreamingFeatures.FeatureSets;

/// <summary>
/// A column family's garbage-collection policy. With both limits set, a cell goes when either applies
/// (Bigtable's union rule); with neither, cells are kept forever.
/// </summary>
public sealed class ColumnFamilyOptions
{
    /// <summary>Keep at most this many versions per column (1 to 1,000,000). Optional.</summary>
    public int? MaxVersions { get; set; }

    /// <summary>Drop cells older than this (a TTL; at least 1 ms, whole milliseconds). Optional.</summary>
    public TimeSpan? MaxAge { get; set; }
}
