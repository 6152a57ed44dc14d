using System.Globalization;
using System.Text.Json;
using Avro;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// Maps the session's Avro schema to the engine's column types, as <see cref="ArrowSchemaMapping"/> maps Arrow's,
/// reporting every column that cannot map. BigQuery sends a record with the columns as fields in table order, a
/// NULLABLE column as the union ["null", T]: INT64 long, FLOAT64 double, BOOL boolean, STRING string, BYTES bytes,
/// TIMESTAMP long timestamp-micros, DATE int date, NUMERIC bytes decimal(38, 9). BIGNUMERIC (decimal(77, 38)), TIME
/// (time-micros), DATETIME, GEOGRAPHY and JSON (strings with a sqlType), RANGE, ARRAY and STRUCT are refused. A field
/// with a <c>displayName</c> (asked for with enable_display_name_attribute, for column names Avro cannot spell) is
/// named by it.
/// </summary>
internal static class AvroSchemaMapping
{
    /// <exception cref="BigQuerySourceException">The text is not an Avro record schema, or a column cannot map.</exception>
    public static AvroSessionSchema Map(string json, string table)
    {
        RecordSchema record;
        try
        {
            // Checked as JSON first: Avro's parser lets its JSON library's own exceptions through.
            using (JsonDocument.Parse(json))
            {
            }

            record = Schema.Parse(json) as RecordSchema
                ?? throw new BigQuerySourceException($"Table {table} cannot be read: the session's Avro schema is not a record.");
        }
        catch (Exception e) when (e is AvroException or JsonException)
        {
            throw new BigQuerySourceException($"Table {table} cannot be read: the session's Avro schema does not parse ({e.Message}).", e);
        }

        var fields = new List<SourceField>(record.Fields.Count);
        var readers = new AvroFieldReader[record.Fields.Count];
        var errors = new List<string>();
        for (int i = 0; i < record.Fields.Count; i++)
        {
            Field field = record.Fields[i];
            string name = DisplayName(field) ?? field.Name;
            (Schema value, int nullIndex) = Unwrap(field.Schema);
            if (ReaderOf(value, nullIndex) is { } reader)
            {
                readers[i] = reader;
                fields.Add(new SourceField(name, reader.Type, nullIndex >= 0));
            }
            else
            {
                errors.Add($"column '{name}' has Avro type {Describe(field.Schema)}, which the engine cannot map " +
                    $"(supported: long/int, double/float, boolean, string, bytes, timestamp-micros/-millis, date, decimal of at most 38 digits); {Remedy(value)}");
            }
        }

        return errors.Count == 0
            ? new AvroSessionSchema(json, new SourceSchema(fields), readers)
            : throw new BigQuerySourceException($"Table {table} cannot be read: " + string.Join(" ", errors));
    }

    /// <summary>The value schema of a field and the branch that means null (-1 when the field is not a ["null", T] union).</summary>
    private static (Schema Value, int NullIndex) Unwrap(Schema schema)
    {
        if (schema is UnionSchema { Count: 2 } union)
        {
            if (union[0].Tag == Schema.Type.Null && union[1].Tag != Schema.Type.Null)
            {
                return (union[1], 0);
            }

            if (union[1].Tag == Schema.Type.Null && union[0].Tag != Schema.Type.Null)
            {
                return (union[0], 1);
            }
        }

        return (schema, -1);
    }

    private static AvroFieldReader? ReaderOf(Schema schema, int nullIndex)
    {
        if (schema.GetProperty("sqlType") is not null)
        {
            // DATETIME, GEOGRAPHY and JSON travel as strings; reading them as text would hide what they are.
            return null;
        }

        return schema switch
        {
            LogicalSchema { LogicalTypeName: "timestamp-micros", BaseSchema.Tag: Schema.Type.Long } => new(AvroValueKind.TimestampMicros, ColumnType.Timestamp, nullIndex),
            LogicalSchema { LogicalTypeName: "timestamp-millis", BaseSchema.Tag: Schema.Type.Long } => new(AvroValueKind.TimestampMillis, ColumnType.Timestamp, nullIndex),
            LogicalSchema { LogicalTypeName: "date", BaseSchema.Tag: Schema.Type.Int } => new(AvroValueKind.Date, ColumnType.Date, nullIndex),
            LogicalSchema { LogicalTypeName: "decimal", BaseSchema.Tag: Schema.Type.Bytes } decimalSchema
                when Number(decimalSchema, "precision") is { } precision and > 0 and <= NumericText.MaxPrecision
                    && (Number(decimalSchema, "scale") ?? 0) is var scale and >= 0 && scale <= precision
                => new(AvroValueKind.Decimal, ColumnType.Numeric, nullIndex, scale),
            LogicalSchema => null,
            PrimitiveSchema { Tag: Schema.Type.Long } => new(AvroValueKind.Long, ColumnType.Int64, nullIndex),
            PrimitiveSchema { Tag: Schema.Type.Int } => new(AvroValueKind.Int, ColumnType.Int64, nullIndex),
            PrimitiveSchema { Tag: Schema.Type.Double } => new(AvroValueKind.Double, ColumnType.Float64, nullIndex),
            PrimitiveSchema { Tag: Schema.Type.Float } => new(AvroValueKind.Float, ColumnType.Float64, nullIndex),
            PrimitiveSchema { Tag: Schema.Type.Boolean } => new(AvroValueKind.Boolean, ColumnType.Bool, nullIndex),
            PrimitiveSchema { Tag: Schema.Type.String } => new(AvroValueKind.String, ColumnType.String, nullIndex),
            PrimitiveSchema { Tag: Schema.Type.Bytes } => new(AvroValueKind.Bytes, ColumnType.Bytes, nullIndex),
            _ => null,
        };
    }

    private static string? DisplayName(Field field) =>
        field.GetProperty("displayName") is { } raw ? JsonSerializer.Deserialize<string>(raw) : null;

    /// <summary>A numeric attribute of a schema (Avro keeps attributes as JSON text).</summary>
    private static int? Number(Schema schema, string attribute) =>
        schema.GetProperty(attribute) is { } raw && int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;

    private static string Describe(Schema schema) => schema switch
    {
        UnionSchema union => "union [" + string.Join(", ", union.Schemas.Select(Describe)) + "]",
        LogicalSchema { LogicalTypeName: "decimal" } d when Number(d, "precision") > NumericText.MaxPrecision =>
            string.Create(CultureInfo.InvariantCulture, $"decimal({Number(d, "precision")}, {Number(d, "scale") ?? 0}) (BigQuery BIGNUMERIC)"),
        LogicalSchema { LogicalTypeName: "decimal" } d => string.Create(CultureInfo.InvariantCulture, $"decimal({Number(d, "precision")}, {Number(d, "scale") ?? 0})"),
        LogicalSchema { LogicalTypeName: "time-micros" or "time-millis" } l => $"{l.BaseSchema.Name} {l.LogicalTypeName} (BigQuery TIME)",
        LogicalSchema l => $"{l.BaseSchema.Name} {l.LogicalTypeName}",
        ArraySchema array => $"array<{Describe(array.ItemSchema)}> (BigQuery ARRAY)",
        RecordSchema => "record (BigQuery STRUCT)",
        _ when schema.GetProperty("sqlType") is { } sqlType => $"{schema.Name} (BigQuery {JsonSerializer.Deserialize<string>(sqlType)})",
        _ => schema.Name,
    };

    private static string Remedy(Schema schema) => schema switch
    {
        LogicalSchema { LogicalTypeName: "decimal" } => "cast it to NUMERIC (if it fits 38 digits, 9 after the point), FLOAT64 or STRING in a view, or leave it out of SelectedFields.",
        ArraySchema or RecordSchema or MapSchema => "select its elements or fields as top-level columns in a view, or leave it out of SelectedFields.",
        _ => "cast it in a view or leave it out of SelectedFields.",
    };
}
