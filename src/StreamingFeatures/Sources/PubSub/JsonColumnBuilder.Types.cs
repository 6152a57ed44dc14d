using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// The typed builders. Int64: a JSON integer, or a string of one (as protobuf's JSON writes int64). Float64: a JSON
/// number, or a string of one (also <c>NaN</c>, <c>Infinity</c>). Bool: <c>true</c>/<c>false</c>. String: a JSON
/// string. Bytes: a base64 JSON string. Timestamp: an RFC 3339 string or an integer (or a string of one) of microseconds since the epoch.
/// Attribute text parses the same way (<see cref="CsvValues"/>).
/// </summary>
internal abstract partial class JsonColumnBuilder
{
    /// <summary>Longest text taken as a number or timestamp; anything longer is not one.</summary>
    private const int MaxScalarText = 128;

    /// <summary>The string token unescaped into <paramref name="scratch"/>; -1 when it is too long for a scalar.</summary>
    private static int ScalarText(ref Utf8JsonReader reader, scoped Span<byte> scratch) =>
        reader.ValueSpan.Length <= scratch.Length ? reader.CopyString(scratch) : -1;

    internal sealed class Int64Builder(ColumnType type, int capacity) : JsonColumnBuilder(capacity)
    {
        private long[] _values = new long[capacity];

        /// <summary>Appends a known value (the publish time standing in for a missing event time).</summary>
        public void Append(long value)
        {
            _values[Count] = value;
            MarkNotNull();
        }

        protected override bool TryAppendJson(ref Utf8JsonReader reader, bool numbersAsText)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                return reader.TryGetInt64(out _values[Count]);
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            Span<byte> text = stackalloc byte[MaxScalarText];
            int length = ScalarText(ref reader, text);
            return length >= 0 && Parse(text[..length]);
        }

        protected override bool TryAppendTextValue(string text)
        {
            Span<byte> utf8 = stackalloc byte[MaxScalarText];
            return Encoding.UTF8.TryGetBytes(text, utf8, out int length) && Parse(utf8[..length]);
        }

        /// <summary>Int64 text; for a Timestamp, RFC 3339 or an integer of microseconds since the epoch.</summary>
        private bool Parse(ReadOnlySpan<byte> utf8) => type == ColumnType.Timestamp
            ? CsvValues.TryParseTimestamp(utf8, out _values[Count]) || CsvValues.TryParseInt64(utf8, out _values[Count])
            : CsvValues.TryParseInt64(utf8, out _values[Count]);

        protected override ColumnVector BuildColumn(int count, bool[]? nulls)
        {
            var column = new Int64Column(_values, count, nulls, type);
            _values = new long[Capacity];
            return column;
        }
    }

    private sealed class Float64Builder(int capacity) : JsonColumnBuilder(capacity)
    {
        private double[] _values = new double[capacity];

        protected override bool TryAppendJson(ref Utf8JsonReader reader, bool numbersAsText)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                return reader.TryGetDouble(out _values[Count]);
            }

            Span<byte> text = stackalloc byte[MaxScalarText];
            int length = reader.TokenType == JsonTokenType.String ? ScalarText(ref reader, text) : -1;
            return length >= 0 && CsvValues.TryParseFloat64(text[..length], out _values[Count]);
        }

        protected override bool TryAppendTextValue(string text)
        {
            Span<byte> utf8 = stackalloc byte[MaxScalarText];
            return Encoding.UTF8.TryGetBytes(text, utf8, out int length) && CsvValues.TryParseFloat64(utf8[..length], out _values[Count]);
        }

        protected override ColumnVector BuildColumn(int count, bool[]? nulls)
        {
            var column = new Float64Column(_values, count, nulls);
            _values = new double[Capacity];
            return column;
        }
    }

    private sealed class BoolBuilder(int capacity) : JsonColumnBuilder(capacity)
    {
        private bool[] _values = new bool[capacity];

        protected override bool TryAppendJson(ref Utf8JsonReader reader, bool numbersAsText)
        {
            if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
            {
                return false;
            }

            _values[Count] = reader.TokenType == JsonTokenType.True;
            return true;
        }

        protected override bool TryAppendTextValue(string text)
        {
            Span<byte> utf8 = stackalloc byte[MaxScalarText];
            return Encoding.UTF8.TryGetBytes(text, utf8, out int length) && CsvValues.TryParseBool(utf8[..length], out _values[Count]);
        }

        protected override ColumnVector BuildColumn(int count, bool[]? nulls)
        {
            var column = new BoolColumn(_values, count, nulls);
            _values = new bool[Capacity];
            return column;
        }
    }

    /// <summary>Strings as their UTF-8 bytes (valid UTF-8 only); Bytes decoded from base64.</summary>
    internal sealed class BinaryBuilder(ColumnType type, int capacity) : JsonColumnBuilder(capacity)
    {
        private const int InitialBytes = 4096;
        private byte[] _data = new byte[InitialBytes];
        private int[] _offsets = new int[capacity + 1];

        protected override bool TryAppendJson(ref Utf8JsonReader reader, bool numbersAsText)
        {
            int at = _offsets[Count];
            if (reader.TokenType == JsonTokenType.Number && numbersAsText && type == ColumnType.String)
            {
                return Set(at, reader.ValueSpan);
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            Reserve(at + reader.ValueSpan.Length);
            int length = reader.CopyString(_data.AsSpan(at));
            Span<byte> value = _data.AsSpan(at, length);
            if (type == ColumnType.Bytes)
            {
                if (Base64.DecodeFromUtf8InPlace(value, out length) != OperationStatus.Done)
                {
                    return false;
                }
            }
            else if (!Utf8.IsValid(value))
            {
                return false;
            }

            _offsets[Count + 1] = at + length;
            return true;
        }

        protected override bool TryAppendTextValue(string text)
        {
            int at = _offsets[Count];
            if (type == ColumnType.Bytes)
            {
                Reserve(at + text.Length);
                if (!Convert.TryFromBase64String(text, _data.AsSpan(at), out int decoded))
                {
                    return false;
                }

                _offsets[Count + 1] = at + decoded;
                return true;
            }

            Reserve(at + Encoding.UTF8.GetByteCount(text));
            _offsets[Count + 1] = at + Encoding.UTF8.GetBytes(text, _data.AsSpan(at));
            return true;
        }

        protected override void AppendDefault() => _offsets[Count + 1] = _offsets[Count];

        protected override ColumnVector BuildColumn(int count, bool[]? nulls)
        {
            var column = new BinaryColumn(_data, _offsets, count, nulls, type);
            _data = new byte[Math.Max(InitialBytes, _offsets[count])];
            _offsets = new int[Capacity + 1];
            return column;
        }

        /// <summary>Bytes of the value in row <paramref name="row"/> (0 for null).</summary>
        public int LengthOf(int row) => _offsets[row + 1] - _offsets[row];

        private bool Set(int at, ReadOnlySpan<byte> value)
        {
            Reserve(at + value.Length);
            value.CopyTo(_data.AsSpan(at));
            _offsets[Count + 1] = at + value.Length;
            return true;
        }

        private void Reserve(int size)
        {
            if (size > _data.Length)
            {
                Array.Resize(ref _data, Math.Max(_data.Length * 2, size));
            }
        }
    }
}
