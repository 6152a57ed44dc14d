namespace StreamingFeatures.Verification;

/// <summary>
/// What a comparison knows of one key range: the source rows mapped to it and how their read-back went, and an
/// order-free checksum of the keys of each side (source rows found in the table; rows of the table). The two key
/// checksums agree exactly when the table holds no row the source lacks (up to 64-bit hash collisions), so only
/// ranges where they differ are searched key by key for extras.
/// </summary>
internal sealed class RangeTally
{
    public long SourceRows { get; set; }

    public long Matched { get; set; }

    public long Missing { get; set; }

    public long Changed { get; set; }

    /// <summary>Rows whose cells a newer event overwrote: they match what the table should serve.</summary>
    public long Superseded { get; set; }

    /// <summary>Key hashes of the source rows the table holds (a key met twice in the source counts twice).</summary>
    public Checksum FoundKeys { get; set; }

    /// <summary>Key hashes of the table's rows in this range (of this shard).</summary>
    public Checksum TableKeys { get; set; }

    /// <summary>Rows in the table that no source row maps to; known once the range is settled.</summary>
    public long Extra { get; set; }

    /// <summary>The range was searched key by key because its key checksums differed.</summary>
    public bool CheckedExactly { get; set; }

    public List<string> MissingKeys { get; } = [];

    public List<string> ChangedKeys { get; } = [];

    public List<string> ExtraKeys { get; } = [];

    /// <summary>The key checksums disagree: the table may hold extra rows here (or the source repeats a key).</summary>
    public bool NeedsExactPass => FoundKeys != TableKeys;

    public bool HasDifferences => Missing > 0 || Changed > 0 || Extra > 0;
}
