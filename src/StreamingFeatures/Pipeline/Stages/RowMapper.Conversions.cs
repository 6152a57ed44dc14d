using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Pipeline.Stages;

/// <summary>How a source value becomes a feature's cell when the column type is not the feature's own.</summary>
internal enum CellConversion
{
    /// <summary>The value as it is: the column type is the feature's (or a Date feeding a Timestamp: its midnight).</summary>
    None,

    /// <summary>A NUMERIC as the nearest double (ties to even): exact up to 15 significant digits, rounded beyond.</summary>
    NumericToFloat64,

    /// <summary>A NUMERIC as BigQuery's CAST(NUMERIC AS STRING) prints it: no exponent, trailing fraction zeros trimmed.</summary>
    NumericToString,

    /// <summary>A DATE as <c>YYYY-MM-DD</c>, as BigQuery's CAST(DATE AS STRING) prints it.</summary>
    DateToString,
}

internal sealed partial class RowMapper
{
    /// <summary>
    /// How a <paramref name="source"/> column feeds a feature of type <paramref name="feature"/>, or null when it
    /// cannot: each type feeds its own feature type; besides, Numeric feeds Float64 and String, Date feeds Timestamp
    /// (midnight UTC) and String.
    /// </summary>
    public static CellConversion? ConversionOf(FeatureType feature, ColumnType source) => (feature, source) switch
    {
        (FeatureType.Float64, ColumnType.Numeric) => CellConversion.NumericToFloat64,
        (FeatureType.String, ColumnType.Numeric) => CellConversion.NumericToString,
        (FeatureType.String, ColumnType.Date) => CellConversion.DateToString,
        (FeatureType.Timestamp, ColumnType.Date) => CellConversion.None,
        _ when source != ColumnType.Numeric && source != ColumnType.Date && source == ToColumnType(feature) => CellConversion.None,
        _ => null,
    };

    /// <summary>The source types that can feed a feature of <paramref name="feature"/>, for error messages.</summary>
    public static string AllowedSources(FeatureType feature) => feature switch
    {
        FeatureType.Float64 => "Float64, Numeric",
        FeatureType.String => "String, Numeric, Date",
        FeatureType.Timestamp => "Timestamp, Date",
        _ => ToColumnType(feature).ToString(),
    };

    /// <summary>Bytes of the converted value, or -1 when it has no such value (a Date outside 0001–9999).</summary>
    private static int ConvertedLength(FeaturePlan feature, ColumnVector column, int row) => feature.Conversion switch
    {
        CellConversion.NumericToFloat64 => CellEncoding.Float64Size,
        CellConversion.NumericToString => NumericText.TextLength(((NumericColumn)column).Values[row], ((NumericColumn)column).Scale),
        CellConversion.DateToString => DateValues.IsDate(((Int64Column)column).Values[row]) ? DateValues.IsoLength : -1,
        _ => throw new InvalidOperationException($"No conversion {feature.Conversion}."),
    };

    private static void WriteConverted(Span<byte> value, FeaturePlan feature, ColumnVector column, int row)
    {
        switch (feature.Conversion)
        {
            case CellConversion.NumericToFloat64:
                var numbers = (NumericColumn)column;
                CellEncoding.WriteFloat64(value, NumericText.ToDouble(numbers.Values[row], numbers.Scale));
                break;
            case CellConversion.NumericToString:
                var text = (NumericColumn)column;
                NumericText.Format(text.Values[row], text.Scale, value);
                break;
            case CellConversion.DateToString:
                DateValues.WriteIso(value, ((Int64Column)column).Values[row]);
                break;
            default:
                throw new InvalidOperationException($"No conversion {feature.Conversion}.");
        }
    }
}
