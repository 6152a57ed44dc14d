using System.Buffers.Text;
using System.Text.Unicode;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.Files;

/// <summary>
/// Collects one column of a CSV chunk from UTF-8 fields. A row is appended field by field; when one of its fields
/// does not parse, <see cref="Truncate"/> takes the row's other fields back out.
/// </summary>
internal abstract class CsvColumnBuilder(int capacity)
{
    protected int Capacity { get; } = capacity;

    protected int Count { get; set; }

    protected bool[]? Nulls { get; set; }

    public static CsvColumnBuilder Create(ColumnType type, int capacity) => type switch
    {
        ColumnType.Int64 or ColumnType.Timestamp or ColumnType.Date => new Int64Builder(type, capacity),
        ColumnType.Float64 => new Float64Builder(capacity),
        ColumnType.Bool => new BoolBuilder(capacity),
        ColumnType.Numeric => new NumericBuilder(capacity),
        ColumnType.String or ColumnType.Bytes => new BinaryBuilder(type, capacity),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No CSV reading for this column type."),
    };

    /// <summary>Appends a field; an empty field is null. False, appending nothing, when the text is not of the column's type.</summary>
    public bool TryAppend(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            (Nulls ??= new bool[Capacity])[Count] = true;
            AppendNull();
            Count++;
            return true;
        }

        if (!TryAppendValue(utf8))
        {
            return false;
        }

        if (Nulls is not null)
        {
            Nulls[Count] = false;
        }

        Count++;
        return true;
    }

    public void Truncate(int count) => Count = Math.Min(Count, count);

    /// <summary>The rows so far as a column vector; the builder starts over with new arrays.</summary>
    public ColumnVector Build()
    {
        ColumnVector column = BuildColumn(Count, Nulls);
        Nulls = null;
        Count = 0;
        return column;
    }

    protected abstract bool TryAppendValue(ReadOnlySpan<byte> utf8);

    protected virtual void AppendNull()
    {
    }

    protected abstract ColumnVector BuildColumn(int count, bool[]? nulls);

    private sealed class Int64Builder(ColumnType type, int capacity) : CsvColumnBuilder(capacity)
    {
        private long[] _values = new long[capacity];

        protected override bool TryAppendValue(ReadOnlySpan<byte> utf8) => type switch
        {
            ColumnType.Timestamp => CsvValues.TryParseTimestamp(utf8, out _values[Count]),
            ColumnType.Date => CsvValues.TryParseDate(utf8, out _values[Count]),
            _ => CsvValues.TryParseInt64(utf8, out _values[Count]),
        };

        protected override ColumnVector BuildColumn(int count, bool[]? nulls)
        {
            var column = new Int64Column(_values, count, nulls, type);
            _values = new long[Capacity];
            return column;
        }
    }

    private sealed class Float64Builder(int capacity) : CsvColumnBuilder(capacity)
    {
        private double[] _values = new double[capacity];

        protected override bool TryAppendValue(ReadOnlySpan<byte> utf8) => CsvValues.TryParseFloat64(utf8, out _values[Count]);

        protected override ColumnVector BuildColumn(int count, bool[]? nulls)
        {
            var column = new Float64Column(_values, count, nulls);
            _values = new double[Capacity];
            return column;
        }
    }

    private sealed class BoolBuilder(int capacity) : CsvColumnBuilder(capacity)
    {
        private bool[] _values = new bool[capacity];

        protected override bool TryAppendValue(ReadOnlySpan<byte> utf8) => CsvValues.TryParseBool(utf8, out _values[Count]);

        protected override ColumnVector BuildColumn(int count, bool[]? nulls)
        {
            var column = new BoolColumn(_values, count, nulls);
            _values = new bool[Capacity];
            return column;
        }
    }

    private sealed class NumericBuilder(int capacity) : CsvColumnBuilder(capacity)
    {
        private Int128[] _values = new Int128[capacity];

        protected override bool TryAppendValue(ReadOnlySpan<byte> utf8) => CsvValues.TryParseNumeric(utf8, out _values[Count]);

        protected override ColumnVector BuildColumn(int count, bool[]? nulls)
        {
            var column = new NumericColumn(_values, NumericColumn.BigQueryScale, count, nulls);
            _values = new Int128[Capacity];
            return column;
        }
    }

    /// <summary>Strings as their UTF-8 bytes; Bytes decoded from base64.</summary>
    private sealed class BinaryBuilder(ColumnType type, int capacity) : CsvColumnBuilder(capacity)
    {
        private const int InitialBytes = 4096;
        private byte[] _data = new byte[InitialBytes];
        private int[] _offsets = new int[capacity + 1];

        protected override bool TryAppendValue(ReadOnlySpan<byte> utf8)
        {
            int at = _offsets[Count];
            // A STRING is UTF-8 (as BigQuery's loader requires): other bytes would reach Bigtable and every reader as-is.
            int length = type == ColumnType.Bytes ? CsvValues.Base64Length(utf8) : Utf8.IsValid(utf8) ? utf8.Length : -1;
            if (length < 0)
            {
                return false;
            }

            if (at + length > _data.Length)
            {
                Array.Resize(ref _data, Math.Max(_data.Length * 2, at + length));
            }

            if (type == ColumnType.Bytes)
            {
                Base64.DecodeFromUtf8(utf8, _data.AsSpan(at), out _, out length);
            }
            else
            {
                utf8.CopyTo(_data.AsSpan(at));
            }

            _offsets[Count + 1] = at + length;
            return true;
        }

        protected override void AppendNull() => _offsets[Count + 1] = _offsets[Count];

        protected override ColumnVector BuildColumn(int count, bool[]? nulls)
        {
            var column = new BinaryColumn(_data, _offsets, count, nulls, type);
            _data = new byte[Math.Max(InitialBytes, _offsets[count])];
            _offsets = new int[Capacity + 1];
            return column;
        }
    }
}
