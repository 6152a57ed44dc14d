using System.Globalization;
using Parquet.Meta;
using Parquet.Schema;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.Files;

/// <summary>
/// Which Parquet columns the engine reads, and as what. Decided on the CLR type Parquet.Net decodes a column to
/// (which already folds in the physical and logical types):
/// INT8/16/32/64 and UINT8/16/32 → Int64; FLOAT, DOUBLE (and FLOAT16) → Float64; BOOLEAN → Bool;
/// BYTE_ARRAY with STRING/UTF8 → String; other BYTE_ARRAY → Bytes; TIMESTAMP (millis, micros, nanos; UTC or not),
/// legacy TIMESTAMP_MILLIS/MICROS and INT96 → Timestamp (microseconds, nanoseconds truncated, a timestamp not
/// adjusted to UTC read as UTC wall time); DATE → Date (its midnight UTC); DECIMAL of precision up to 38 → Numeric,
/// exact (BigQuery exports NUMERIC as DECIMAL(38, 9)), or any DECIMAL → Float64 when
/// <see cref="ParquetFileSourceOptions.DecimalAsFloat64"/> asks. Parquet.Net decodes DECIMAL through
/// <see cref="decimal"/>, so a value beyond its 28–29 digits fails the read of its row group.
/// Not supported: UINT64 (values above 2^63 - 1 would not fit), TIME, INTERVAL, UUID, FIXED_LEN_BYTE_ARRAY other
/// than DECIMAL, and nested or repeated columns (structs, lists, maps).
/// </summary>
internal static class ParquetTypes
{
    /// <summary>The engine type of a top-level column, or null with the reason in <paramref name="problem"/>.</summary>
    public static ColumnType? Map(Field field, bool decimalAsFloat64, out string? problem)
    {
        problem = null;
        if (field is not DataField data)
        {
            problem = $"a nested column ({field.SchemaType}) cannot feed a feature; select its leaves in the export instead";
            return null;
        }

        if (data.IsArray || data.MaxRepetitionLevel > 0)
        {
            problem = "a repeated (list) column cannot feed a feature";
            return null;
        }

        System.Type clr = data.ClrType;
        if (clr == typeof(long) || clr == typeof(int) || clr == typeof(short) || clr == typeof(sbyte)
            || clr == typeof(byte) || clr == typeof(ushort) || clr == typeof(uint))
        {
            return ColumnType.Int64;
        }

        if (clr == typeof(double) || clr == typeof(float) || clr == typeof(Half))
        {
            return ColumnType.Float64;
        }

        if (clr == typeof(bool))
        {
            return ColumnType.Bool;
        }

        if (clr == typeof(ReadOnlyMemory<char>))
        {
            return ColumnType.String;
        }

        if (clr == typeof(ReadOnlyMemory<byte>))
        {
            return ColumnType.Bytes;
        }

        if (clr == typeof(DateTime))
        {
            return IsDate(data) ? ColumnType.Date : ColumnType.Timestamp;
        }

        if (clr == typeof(decimal) && decimalAsFloat64)
        {
            return ColumnType.Float64;
        }

        if (clr == typeof(decimal) && DecimalScale(data) is >= 0 and <= NumericText.MaxPrecision && DecimalPrecision(data) <= NumericText.MaxPrecision)
        {
            return ColumnType.Numeric;
        }

        problem = clr == typeof(decimal)
            ? "a DECIMAL of more than 38 digits (such as BigQuery's BIGNUMERIC) does not fit Numeric; cast it to NUMERIC or STRING in the export, or set DecimalAsFloat64 to read it as Float64 (about 15 significant digits)"
            : clr == typeof(ulong)
                ? "UINT64 is not supported: values above 9223372036854775807 do not fit Int64"
                : $"the type is not supported (it decodes to {clr.Name}); supported: integers, floating point, BOOLEAN, STRING, BYTE_ARRAY, TIMESTAMP, DATE";
        return null;
    }

    /// <summary>Digits after the point of a DECIMAL column, from its logical type (or the legacy converted type).</summary>
    public static int DecimalScale(DataField field) =>
        field.SchemaElement?.LogicalType?.DECIMAL?.Scale ?? field.SchemaElement?.Scale ?? (field as DecimalDataField)?.Scale ?? 0;

    private static int DecimalPrecision(DataField field) =>
        field.SchemaElement?.LogicalType?.DECIMAL?.Precision ?? field.SchemaElement?.Precision ?? (field as DecimalDataField)?.Precision ?? NumericText.MaxPrecision;

    private static bool IsDate(DataField field) =>
        field.SchemaElement is { } element && (element.LogicalType?.DATE is not null || element.ConvertedType == ConvertedType.DATE);

    /// <summary>The column's Parquet type as a person reads it: <c>INT64 TIMESTAMP(MICROS, UTC)</c>, <c>BYTE_ARRAY STRING</c>.</summary>
    public static string Describe(Field field)
    {
        if (field is not DataField data)
        {
            return field.SchemaType.ToString().ToUpperInvariant();
        }

        SchemaElement? element = data.SchemaElement;
        string physical = element?.Type?.ToString() ?? data.ClrType.Name;
        string? logical = element is null ? null : Logical(element);
        string text = logical is null ? physical : $"{physical} {logical}";
        return data.IsArray ? $"LIST<{text}>" : text;
    }

    private static string? Logical(SchemaElement element)
    {
        if (element.LogicalType is { } lt)
        {
            if (lt.STRING is not null)
            {
                return "STRING";
            }

            if (lt.DATE is not null)
            {
                return "DATE";
            }

            if (lt.TIMESTAMP is { } ts)
            {
                string unit = ts.Unit?.NANOS is not null ? "NANOS" : ts.Unit?.MICROS is not null ? "MICROS" : "MILLIS";
                return $"TIMESTAMP({unit}, {(ts.IsAdjustedToUTC ? "UTC" : "local")})";
            }

            if (lt.DECIMAL is { } dec)
            {
                return string.Create(CultureInfo.InvariantCulture, $"DECIMAL({dec.Precision}, {dec.Scale})");
            }

            if (lt.INTEGER is { } integer)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{(integer.IsSigned ? "INT" : "UINT")}({integer.BitWidth})");
            }
        }

        return element.ConvertedType?.ToString();
    }
}
