using System.Buffers.Text;
using System.Globalization;
using System.Text;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.Files;

/// <summary>
/// How CSV text (UTF-8) becomes typed values, and how a column's type is inferred. An empty field is null in every
/// type. Int64: an optional sign and decimal digits. Float64: decimal or exponent notation, <c>NaN</c>,
/// <c>Infinity</c> (invariant culture). Bool: <c>true</c> or <c>false</c>, any case. Timestamp: RFC 3339 / ISO 8601
/// <c>2024-01-02T03:04:05.123456Z</c>, with <c>T</c> or a space, an offset (<c>Z</c>, <c>+02:00</c>) or none (UTC),
/// up to 7 fraction digits, BigQuery's <c>2024-01-02 03:04:05.123456 UTC</c>, or a date alone (midnight UTC).
/// Date (given in a schema, never inferred): <c>YYYY-MM-DD</c>, read as its midnight UTC. Numeric (given in a schema,
/// never inferred): decimal text such as <c>-12.5</c>, at most 9 digits after the point (BigQuery NUMERIC), exact.
/// Bytes: base64, as BigQuery exports BYTES. String: the text as it is.
/// Inference over the sampled non-empty values: all Int64 → Int64; else all numbers → Float64; else all Bool →
/// Bool; else all Timestamp → Timestamp; else (or no value at all) String. Leading zeros (<c>007</c>) are lost as
/// Int64: give a schema to keep such keys as text.
/// </summary>
public static class CsvValues
{
    private const int MaxTimestampChars = 64;

    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF' UTC'",
        "yyyy-MM-dd",
    ];

    public static bool TryParseInt64(ReadOnlySpan<byte> utf8, out long value) =>
        long.TryParse(utf8, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    public static bool TryParseFloat64(ReadOnlySpan<byte> utf8, out double value) =>
        double.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public static bool TryParseBool(ReadOnlySpan<byte> utf8, out bool value)
    {
        ReadOnlySpan<byte> text = utf8.Trim(" \t"u8);
        value = Ascii.EqualsIgnoreCase(text, "true"u8);
        return value || Ascii.EqualsIgnoreCase(text, "false"u8);
    }

    /// <summary>Microseconds since the epoch, rounded toward the past.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> utf8, out long micros)
    {
        micros = 0;
        Span<char> chars = stackalloc char[MaxTimestampChars];
        if (utf8.Length > MaxTimestampChars || !Ascii.IsValid(utf8))
        {
            return false;
        }

        int length = Encoding.ASCII.GetChars(utf8, chars);
        if (!DateTimeOffset.TryParseExact(chars[..length].Trim(), TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset value))
        {
            return false;
        }

        long ticks = value.UtcTicks - DateTime.UnixEpoch.Ticks;
        micros = ticks >= 0 ? ticks / 10 : -((-ticks + 9) / 10);
        return true;
    }

    /// <summary>A <c>YYYY-MM-DD</c> date as the microseconds of its midnight UTC.</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> utf8, out long micros)
    {
        micros = 0;
        Span<char> chars = stackalloc char[DateValues.IsoLength];
        ReadOnlySpan<byte> text = utf8.Trim(" \t"u8);
        if (text.Length != DateValues.IsoLength || !Ascii.IsValid(text))
        {
            return false;
        }

        Encoding.ASCII.GetChars(text, chars);
        if (!DateOnly.TryParseExact(chars, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date))
        {
            return false;
        }

        micros = DateValues.FromDate(date);
        return true;
    }

    /// <summary>Decimal text as a NUMERIC (scale 9), exactly; false beyond 9 fraction digits or 38 digits in all.</summary>
    public static bool TryParseNumeric(ReadOnlySpan<byte> utf8, out Int128 unscaled) =>
        NumericText.TryParse(utf8, NumericColumn.BigQueryScale, out unscaled);

    /// <summary>The decoded length of base64 text, or -1 when it is not base64.</summary>
    public static int Base64Length(ReadOnlySpan<byte> utf8) => Base64.IsValid(utf8, out int length) ? length : -1;

    /// <summary>Whether <paramref name="utf8"/> is a valid non-empty value of <paramref name="type"/>.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8, ColumnType type) => type switch
    {
        ColumnType.Int64 => TryParseInt64(utf8, out _),
        ColumnType.Float64 => TryParseFloat64(utf8, out _),
        ColumnType.Bool => TryParseBool(utf8, out _),
        ColumnType.Timestamp => TryParseTimestamp(utf8, out _),
        ColumnType.Date => TryParseDate(utf8, out _),
        ColumnType.Numeric => TryParseNumeric(utf8, out _),
        ColumnType.Bytes => Base64Length(utf8) >= 0,
        _ => true,
    };

    /// <summary>What a value of <paramref name="type"/> looks like, for dead-letter messages.</summary>
    public static string Expected(ColumnType type) => type switch
    {
        ColumnType.Int64 => "Int64 (an integer such as -42)",
        ColumnType.Float64 => "Float64 (a number such as 1.5 or 2e-3)",
        ColumnType.Bool => "Bool (true or false)",
        ColumnType.Timestamp => "Timestamp (RFC 3339 such as 2024-01-02T03:04:05.123Z, or 2024-01-02)",
        ColumnType.Date => "Date (YYYY-MM-DD such as 2024-01-02)",
        ColumnType.Numeric => "Numeric (decimal text such as -12.5, at most 9 digits after the point)",
        ColumnType.Bytes => "Bytes (base64)",
        ColumnType.String => "String (valid UTF-8 text)",
        _ => type.ToString(),
    };

    /// <summary>The candidate types a column still fits, narrowed value by value.</summary>
    internal struct Inference
    {
        private bool _seen;
        private bool _notInt64;
        private bool _notFloat64;
        private bool _notBool;
        private bool _notTimestamp;

        public readonly ColumnType Result =>
            !_seen ? ColumnType.String
            : !_notInt64 ? ColumnType.Int64
            : !_notFloat64 ? ColumnType.Float64
            : !_notBool ? ColumnType.Bool
            : !_notTimestamp ? ColumnType.Timestamp
            : ColumnType.String;

        public void Add(ReadOnlySpan<byte> utf8)
        {
            if (utf8.IsEmpty)
            {
                return;
            }

            _seen = true;
            _notInt64 |= !TryParseInt64(utf8, out _);
            _notFloat64 |= !TryParseFloat64(utf8, out _);
            _notBool |= !TryParseBool(utf8, out _);
            _notTimestamp |= !TryParseTimestamp(utf8, out _);
        }
    }
}
