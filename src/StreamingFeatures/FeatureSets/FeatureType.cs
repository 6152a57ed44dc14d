namespace StreamingFeatures.FeatureSets;

/// <summary>A feature's value type, and so its cell encoding (BigQuery's Bigtable BINARY encoding).</summary>
public enum FeatureType
{
    /// <summary>8 bytes, big-endian two's complement.</summary>
    Int64,

    /// <summary>8 bytes, big-endian IEEE 754.</summary>
    Float64,

    /// <summary>1 byte: 1 for true, 0 for false.</summary>
    Bool,

    /// <summary>UTF-8 bytes.</summary>
    String,

    /// <summary>The bytes as they are.</summary>
    Bytes,

    /// <summary>Microseconds since the Unix epoch as a big-endian int64 (BigQuery's TIMESTAMP precision).</summary>
    Timestamp,
}
