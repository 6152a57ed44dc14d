using System.Text;
using System.Text.Json;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// The Avro schema of an Avro read session, as the real service writes it: a record named <c>__root__</c> (as in
/// Google's own client tests) with the selected columns as fields in table order, a NULLABLE column as the union
/// ["null", T]. INT64 long, FLOAT64 double, BOOL boolean, STRING string, BYTES bytes, TIMESTAMP long timestamp-micros,
/// DATE int date, NUMERIC bytes decimal(38, 9). Avro names are <c>[A-Za-z_][A-Za-z0-9_]*</c>: another column name
/// fails the session unless enable_display_name_attribute is set, which gives such a field a placeholder name and
/// every field a <c>displayName</c> holding the column's own.
/// </summary>
internal static class AvroSchemaJson
{
    public const string RecordName = "__root__";

    /// <exception cref="ArgumentException">A column name is not an Avro name and display names are off (the message names it).</exception>
    public static string For(SourceSchema table, IReadOnlyList<int> columns, bool displayNames)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (int c in columns)
        {
            names.Add(table.Fields[c].Name);
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "record");
            json.WriteString("name", RecordName);
            json.WriteStartArray("fields");
            for (int i = 0; i < columns.Count; i++)
            {
                SourceField field = table.Fields[columns[i]];
                json.WriteStartObject();
                json.WriteString("name", FieldName(field.Name, i, displayNames, names));
                json.WritePropertyName("type");
                if (field.Nullable)
                {
                    json.WriteStartArray();
                    json.WriteStringValue("null");
                    WriteType(json, field.Type);
                    json.WriteEndArray();
                }
                else
                {
                    WriteType(json, field.Type);
                }

                if (displayNames)
                {
                    json.WriteString("displayName", field.Name);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        string schema = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);

        // Apache.Avro checks the result is a schema any Avro reader accepts.
        _ = Avro.Schema.Parse(schema);
        return schema;
    }

    public static bool IsAvroName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string FieldName(string column, int position, bool displayNames, HashSet<string> taken)
    {
        if (IsAvroName(column))
        {
            return column;
        }

        if (!displayNames)
        {
            throw new ArgumentException(
                $"Column name '{column}' is not a valid Avro field name ([A-Za-z_][A-Za-z0-9_]*); set read_options.avro_serialization_options.enable_display_name_attribute to read it in AVRO format, or use ARROW.");
        }

        string placeholder = "__col_" + position.ToString(System.Globalization.CultureInfo.InvariantCulture);
        while (!taken.Add(placeholder))
        {
            placeholder += "_";
        }

        return placeholder;
    }

    private static void WriteType(Utf8JsonWriter json, ColumnType type)
    {
        switch (type)
        {
            case ColumnType.Int64:
                json.WriteStringValue("long");
                break;
            case ColumnType.Float64:
                json.WriteStringValue("double");
                break;
            case ColumnType.Bool:
                json.WriteStringValue("boolean");
                break;
            case ColumnType.String:
                json.WriteStringValue("string");
                break;
            case ColumnType.Bytes:
                json.WriteStringValue("bytes");
                break;
            case ColumnType.Timestamp:
                json.WriteStartObject();
                json.WriteString("type", "long");
                json.WriteString("logicalType", "timestamp-micros");
                json.WriteEndObject();
                break;
            case ColumnType.Date:
                json.WriteStartObject();
                json.WriteString("type", "int");
                json.WriteString("logicalType", "date");
                json.WriteEndObject();
                break;
            case ColumnType.Numeric:
                json.WriteStartObject();
                json.WriteString("type", "bytes");
                json.WriteString("logicalType", "decimal");
                json.WriteNumber("precision", NumericText.MaxPrecision);
                json.WriteNumber("scale", NumericColumn.BigQueryScale);
                json.WriteEndObject();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "No Avro type for this column type.");
        }
    }
}
