using System.Globalization;
using System.Text;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;

namespace StreamingFeatures.Serving;

/// <summary>
/// A feature value decoded from its cell (BigQuery's Bigtable BINARY encoding, <see cref="CellEncoding"/>) back to its
/// type, without boxing: int64, bool and timestamp micros share one field, strings and bytes another.
/// </summary>
public readonly struct FeatureValue : IEquatable<FeatureValue>
{
    private readonly long _integer;
    private readonly double _float;
    private readonly object? _reference;

    private FeatureValue(FeatureType type, long integer, double number, object? reference)
    {
        Type = type;
        HasValue = true;
        _integer = integer;
        _float = number;
        _reference = reference;
    }

    public FeatureType Type { get; }

    /// <summary>False for the default value (no value: a status other than Present).</summary>
    public bool HasValue { get; }

    public bool IsEmpty => !HasValue;

    public long AsInt64() => Expect(FeatureType.Int64)._integer;

    public double AsFloat64() => Expect(FeatureType.Float64)._float;

    public bool AsBool() => Expect(FeatureType.Bool)._integer != 0;

    public string AsString() => (string)Expect(FeatureType.String)._reference!;

    public ReadOnlyMemory<byte> AsBytes() => (ReadOnlyMemory<byte>)Expect(FeatureType.Bytes)._reference!;

    /// <summary>A timestamp feature as microseconds since the Unix epoch (BigQuery's TIMESTAMP precision).</summary>
    public long AsTimestampMicros() => Expect(FeatureType.Timestamp)._integer;

    public DateTimeOffset AsTimestamp() => DateTimeOffset.UnixEpoch.AddTicks(AsTimestampMicros() * 10);

    public static FeatureValue Int64(long value) => new(FeatureType.Int64, value, 0, null);

    public static FeatureValue Float64(double value) => new(FeatureType.Float64, 0, value, null);

    public static FeatureValue Bool(bool value) => new(FeatureType.Bool, value ? 1 : 0, 0, null);

    public static FeatureValue String(string value) => new(FeatureType.String, 0, 0, value ?? throw new ArgumentNullException(nameof(value)));

    public static FeatureValue Bytes(ReadOnlyMemory<byte> value) => new(FeatureType.Bytes, 0, 0, value);

    public static FeatureValue Timestamp(long micros) => new(FeatureType.Timestamp, micros, 0, null);

    /// <summary>
    /// The value a cell of <paramref name="type"/> holds, or false when the cell's length cannot be of that type
    /// (8 bytes for int64, float64 and timestamp, 1 for bool). Bytes are kept as given, not copied.
    /// </summary>
    public static bool TryDecode(FeatureType type, ReadOnlyMemory<byte> cell, out FeatureValue value)
    {
        ReadOnlySpan<byte> span = cell.Span;
        value = type switch
        {
            FeatureType.Int64 when span.Length == CellEncoding.Int64Size => Int64(CellEncoding.ReadInt64(span)),
            FeatureType.Float64 when span.Length == CellEncoding.Float64Size => Float64(CellEncoding.ReadFloat64(span)),
            FeatureType.Bool when span.Length == CellEncoding.BoolSize => Bool(CellEncoding.ReadBool(span)),
            FeatureType.Timestamp when span.Length == CellEncoding.Int64Size => Timestamp(CellEncoding.ReadInt64(span)),
            FeatureType.String => String(Encoding.UTF8.GetString(span)),
            FeatureType.Bytes => Bytes(cell),
            _ => default,
        };
        return value.HasValue;
    }

    public bool Equals(FeatureValue other) => HasValue == other.HasValue && Type == other.Type && (!HasValue || Type switch
    {
        FeatureType.Float64 => _float.Equals(other._float),
        FeatureType.String => string.Equals((string)_reference!, (string)other._reference!, StringComparison.Ordinal),
        FeatureType.Bytes => AsBytes().Span.SequenceEqual(other.AsBytes().Span),
        _ => _integer == other._integer,
    });

    public override bool Equals(object? obj) => obj is FeatureValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Type, HasValue, _integer, _float, Type == FeatureType.String ? _reference : null);

    public static bool operator ==(FeatureValue left, FeatureValue right) => left.Equals(right);

    public static bool operator !=(FeatureValue left, FeatureValue right) => !left.Equals(right);

    /// <summary>Invariant text: numbers round-trip, timestamps RFC 3339 UTC with microseconds, bytes base64.</summary>
    public override string ToString() => !HasValue ? string.Empty : Type switch
    {
        FeatureType.Int64 => _integer.ToString(CultureInfo.InvariantCulture),
        FeatureType.Float64 => _float.ToString("R", CultureInfo.InvariantCulture),
        FeatureType.Bool => _integer != 0 ? "true" : "false",
        FeatureType.String => (string)_reference!,
        FeatureType.Bytes => Convert.ToBase64String(AsBytes().Span),
        _ => AsTimestamp().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
    };

    private FeatureValue Expect(FeatureType type) => HasValue && Type == type
        ? this
        : throw new InvalidOperationException(HasValue ? $"The value is {Type}, not {type}." : "There is no value (the feature's status is not Present).");
}
