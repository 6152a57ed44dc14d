using Apache.Arrow;
using Apache.Arrow.Types;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>Maps the session's Arrow schema to the engine's column types, reporting every column that cannot map.</summary>
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
                    "(supported: int64/int32/int16, double/float, bool, utf8, binary, timestamp, date32); cast it in a view or leave it out of SelectedFields.");
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
        ArrowTypeId.Timestamp or ArrowTypeId.Date32 => ColumnType.Timestamp,
        _ => null,
    };

    private static string Describe(IArrowType type) => type switch
    {
        Decimal128Type d => $"decimal128({d.Precision}, {d.Scale}) (BigQuery NUMERIC)",
        Decimal256Type d => $"decimal256({d.Precision}, {d.Scale}) (BigQuery BIGNUMERIC)",
        _ => type.Name,
    };
}
