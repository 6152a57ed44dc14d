using Apache.Arrow;
using Apache.Arrow.Types;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// Maps the session's Arrow schema to the engine's column types, reporting every column that cannot map. BigQuery
/// sends INT64 as int64, FLOAT64 double, BOOL bool, STRING utf8, BYTES binary, TIMESTAMP timestamp[us, UTC], DATE
/// date32, NUMERIC decimal128(38, 9); BIGNUMERIC (decimal256), DATETIME, TIME, GEOGRAPHY, JSON, RANGE, ARRAY and
/// STRUCT are refused.
/// </summary>
internal static class ArrowSchemaMapping
{
    public static SourceSchema Map(Schema schema, string table)
    {
        var fields = new List<SourceField>(schema.FieldsList.Count);
        var errors = new List<string>();
        foreach (Field field in schema.FieldsList)
        {
            if (TypeOf(field.DataType) is { } type)
            {
                fields.Add(new SourceField(field.Name, type, field.IsNullable));
            }
            else
            {
                errors.Add($"column '{field.Name}' has Arrow type {Describe(field.DataType)}, which the engine cannot map " +
                    $"(supported: int64/int32/int16, double/float, bool, utf8, binary, timestamp, date32, decimal128); {Remedy(field.DataType)}");
            }
        }

        return errors.Count == 0
            ? new SourceSchema(fields)
            : throw new BigQuerySourceException($"Table {table} cannot be read: " + string.Join(" ", errors));
    }

    public static ColumnType? TypeOf(IArrowType type) => type.TypeId switch
    {
        ArrowTypeId.Int64 or ArrowTypeId.Int32 or ArrowTypeId.Int16 => ColumnType.Int64,
        ArrowTypeId.Double or ArrowTypeId.Float => ColumnType.Float64,
        ArrowTypeId.Boolean => ColumnType.Bool,
        ArrowTypeId.String => ColumnType.String,
        ArrowTypeId.Binary => ColumnType.Bytes,
        ArrowTypeId.Timestamp => ColumnType.Timestamp,
        ArrowTypeId.Date32 => ColumnType.Date,
        ArrowTypeId.Decimal128 when ((Decimal128Type)type).Scale is >= 0 and <= NumericText.MaxPrecision => ColumnType.Numeric,
        _ => null,
    };

    private static string Describe(IArrowType type) => type switch
    {
        Decimal128Type d => $"decimal128({d.Precision}, {d.Scale})",
        Decimal256Type d => $"decimal256({d.Precision}, {d.Scale}) (BigQuery BIGNUMERIC)",
        ListType l => $"list<{Describe(l.ValueDataType)}> (BigQuery ARRAY)",
        StructType => "struct (BigQuery STRUCT)",
        _ => type.Name,
    };

    private static string Remedy(IArrowType type) => type switch
    {
        Decimal256Type => "cast it to NUMERIC (if it fits 38 digits, 9 after the point), FLOAT64 or STRING in a view, or leave it out of SelectedFields.",
        ListType or StructType or MapType => "select its elements or fields as top-level columns in a view, or leave it out of SelectedFields.",
        _ => "cast it in a view or leave it out of SelectedFields.",
    };
}
