namespace StreamingFeatures.Sources.Columns;

/// <summary>The physical type of a source column.</summary>
public enum ColumnType
{
    Int64,
    Float64,
    Bool,

    /// <summary>UTF-8 text.</summary>
    String,
    Bytes,

    /// <summary>Microseconds since the Unix epoch.</summary>
    Timestamp,
}
