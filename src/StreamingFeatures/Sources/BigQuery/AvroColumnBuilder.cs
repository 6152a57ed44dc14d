using System.Buffers.Binary;
using Avro.IO;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// One column of an Avro block being decoded: the value array of its engine type, filled row by row. Strings and
/// bytes go into one growing buffer with Arrow-style offsets; a decimal's big-endian two's complement becomes an
/// <see cref="Int128"/>.
/// </summary>
internal sealed class AvroColumnBuilder
{
    private const int DecimalBytes = 16;

    private readonly AvroFieldReader _field;
    private readonly int _count;
    private readonly long[]? _longs;
    private readonly double[]? _doubles;
    private readonly bool[]? _bools;
    private readonly Int128[]? _decimals;
    private readonly int[]? _offsets;
    private byte[] _data = [];
    private byte[] _scratch = [];
    private bool[]? _nulls;

    public AvroColumnBuilder(AvroFieldReader field, int count)
    {
        _field = field;
        _count = count;
        switch (field.Type)
        {
            case ColumnType.Float64:
                _doubles = new double[count];
                break;
            case ColumnType.Bool:
                _bools = new bool[count];
                break;
            case ColumnType.Numeric:
                _decimals = new Int128[count];
                break;
            case ColumnType.String or ColumnType.Bytes:
                _offsets = new int[count + 1];
                _data = new byte[Math.Max(16, count * 8)];
                break;
            default:
                _longs = new long[count];
                break;
        }
    }

    public void Read(BinaryDecoder decoder, int row)
    {
        if (_field.NullIndex >= 0)
        {
            int branch = decoder.ReadUnionIndex();
            if (branch == _field.NullIndex)
            {
                (_nulls ??= new bool[_count])[row] = true;
                if (_offsets is not null)
                {
                    _offsets[row + 1] = _offsets[row];
                }

                return;
            }

            if (branch != 1 - _field.NullIndex)
            {
                throw new InvalidDataException($"Union branch {branch} where the schema has two (null and a value).");
            }
        }

        switch (_field.Kind)
        {
            case AvroValueKind.Long:
            case AvroValueKind.TimestampMicros:
                _longs![row] = decoder.ReadLong();
                break;
            case AvroValueKind.Int:
                _longs![row] = decoder.ReadInt();
                break;
            case AvroValueKind.TimestampMillis:
                _longs![row] = decoder.ReadLong() * 1_000;
                break;
            case AvroValueKind.Date:
                int days = decoder.ReadInt();
                if (!DateValues.TryFromDays(days, out _longs![row]))
                {
                    // BigQuery's DATE stops at 9999-12-31; a larger date would also overflow the microseconds.
                    throw new InvalidDataException($"Date value {days} days is outside 0001-01-01 to 9999-12-31.");
                }

                break;
            case AvroValueKind.Double:
                _doubles![row] = decoder.ReadDouble();
                break;
            case AvroValueKind.Float:
                _doubles![row] = decoder.ReadFloat();
                break;
            case AvroValueKind.Boolean:
                _bools![row] = decoder.ReadBoolean();
                break;
            case AvroValueKind.Decimal:
                _decimals![row] = ReadDecimal(decoder);
                break;
            default:
                ReadVariable(decoder, row);
                break;
        }
    }

    public ColumnVector Build(int count) => _field.Type switch
    {
        ColumnType.Float64 => new Float64Column(_doubles!, count, _nulls),
        ColumnType.Bool => new BoolColumn(_bools!, count, _nulls),
        ColumnType.Numeric => new NumericColumn(_decimals!, _field.Scale, count, _nulls),
        ColumnType.String or ColumnType.Bytes => new BinaryColumn(_data, _offsets!, count, _nulls, _field.Type),
        _ => new Int64Column(_longs!, count, _nulls, _field.Type),
    };

    /// <summary>A string or bytes value: its length, then its bytes copied straight into the column's buffer.</summary>
    private void ReadVariable(BinaryDecoder decoder, int row)
    {
        long length = decoder.ReadLong();
        int start = _offsets![row];
        if (length < 0 || length > Array.MaxLength - start)
        {
            throw new InvalidDataException($"A string or bytes value of {length} bytes.");
        }

        int end = start + (int)length;
        if (end > _data.Length)
        {
            Array.Resize(ref _data, (int)Math.Min(Array.MaxLength, Math.Max(end, 2L * _data.Length)));
        }

        decoder.ReadFixed(_data, start, (int)length);
        _offsets[row + 1] = end;
    }

    /// <summary>The unscaled value of a decimal: big-endian two's complement of any length that fits 128 bits.</summary>
    private Int128 ReadDecimal(BinaryDecoder decoder)
    {
        long length = decoder.ReadLong();
        if (length is < 0 or > 64)
        {
            throw new InvalidDataException($"A decimal of {length} bytes; NUMERIC needs at most {DecimalBytes}.");
        }

        if (_scratch.Length < length)
        {
            _scratch = new byte[Math.Max(DecimalBytes, length)];
        }

        decoder.ReadFixed(_scratch, 0, (int)length);
        ReadOnlySpan<byte> bytes = _scratch.AsSpan(0, (int)length);
        if (bytes.IsEmpty)
        {
            return 0;
        }

        byte sign = (bytes[0] & 0x80) != 0 ? (byte)0xFF : (byte)0;
        Span<byte> value = stackalloc byte[DecimalBytes];
        value.Fill(sign);
        if (bytes.Length > DecimalBytes)
        {
            // Longer encodings are legal when the extra leading bytes only extend the sign.
            ReadOnlySpan<byte> extra = bytes[..^DecimalBytes];
            if (extra.ContainsAnyExcept(sign) || ((bytes[^DecimalBytes] ^ sign) & 0x80) != 0)
            {
                throw new InvalidDataException($"A decimal of {bytes.Length} bytes does not fit 128 bits.");
            }

            bytes = bytes[^DecimalBytes..];
        }

        bytes.CopyTo(value[(DecimalBytes - bytes.Length)..]);
        return BinaryPrimitives.ReadInt128BigEndian(value);
    }
}
