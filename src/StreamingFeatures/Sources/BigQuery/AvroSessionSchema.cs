using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>A session's Avro schema: its JSON (what a checkpoint keeps), the engine schema, and how to read each field.</summary>
internal sealed record AvroSessionSchema(string Json, SourceSchema Schema, IReadOnlyList<AvroFieldReader> Fields);

/// <summary>How one field's values are encoded: the Avro type, the engine type, the union branch meaning null (-1: none) and a decimal's scale.</summary>
internal readonly record struct AvroFieldReader(AvroValueKind Kind, ColumnType Type, int NullIndex, int Scale = 0);

/// <summary>The Avro encodings the engine reads.</summary>
internal enum AvroValueKind : byte
{
    Long,
    Int,
    Double,
    Float,
    Boolean,
    String,
    Bytes,
    TimestampMicros,
    TimestampMillis,
    Date,
    Decimal,
}
