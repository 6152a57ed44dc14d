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

    /// <summary>
    /// A calendar date (BigQuery DATE), held in an <see cref="Int64Column"/> as the microseconds since the Unix epoch
    /// of its midnight UTC, so it feeds an event time or a Timestamp feature as that instant. Dates run from
    /// 0001-01-01 to 9999-12-31, as in BigQuery.
    /// </summary>
    Date,

    /// <summary>
    /// An exact decimal (BigQuery NUMERIC, Arrow decimal128, Parquet DECIMAL) in a <see cref="NumericColumn"/>:
    /// unscaled 128-bit integers with one scale per column.
    /// </summary>
    Numeric,
}
