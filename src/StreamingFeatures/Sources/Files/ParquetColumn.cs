using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Parquet;
using Parquet.Schema;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.Files;

/// <summary>
/// One column of the row group being read: its values as Parquet.Net decodes them (non-null values packed, plus
/// definition levels) in pooled buffers, handed out chunk by chunk as engine column vectors.
/// </summary>
internal abstract class ParquetColumn : IDisposable
{
    public static ParquetColumn For(DataField field, ColumnType type)
    {
        System.Type clr = field.ClrType;
        return clr == typeof(long) ? new ParquetColumn<long>(field, type)
            : clr == typeof(int) ? new ParquetColumn<int>(field, type)
            : clr == typeof(short) ? new ParquetColumn<short>(field, type)
            : clr == typeof(sbyte) ? new ParquetColumn<sbyte>(field, type)
            : clr == typeof(byte) ? new ParquetColumn<byte>(field, type)
            : clr == typeof(ushort) ? new ParquetColumn<ushort>(field, type)
            : clr == typeof(uint) ? new ParquetColumn<uint>(field, type)
            : clr == typeof(double) ? new ParquetColumn<double>(field, type)
            : clr == typeof(float) ? new ParquetColumn<float>(field, type)
            : clr == typeof(Half) ? new ParquetColumn<Half>(field, type)
            : clr == typeof(decimal) ? new ParquetColumn<decimal>(field, type)
            : clr == typeof(bool) ? new ParquetColumn<bool>(field, type)
            : clr == typeof(DateTime) ? new ParquetColumn<DateTime>(field, type)
            : clr == typeof(ReadOnlyMemory<char>) ? new ParquetColumn<ReadOnlyMemory<char>>(field, type)
            : clr == typeof(ReadOnlyMemory<byte>) ? new ParquetColumn<ReadOnlyMemory<byte>>(field, type)
            : throw new UnreachableException($"ParquetTypes.Map accepted {clr}.");
    }

    /// <summary>Reads this column of <paramref name="rowGroup"/> whole; earlier values are dropped.</summary>
    public abstract ValueTask ReadAsync(ParquetRowGroupReader rowGroup, CancellationToken cancellationToken);

    /// <summary>The next <paramref name="count"/> rows of the row group.</summary>
    public abstract ColumnVector Take(int count);

    /// <summary>Passes over the next <paramref name="count"/> rows without copying their values (a rejected row).</summary>
    public abstract void Skip(int count);

    /// <summary>
    /// Among the next <paramref name="count"/> rows (not taken), the first whose string or bytes value is longer
    /// than <paramref name="maxBytes"/>, with its length in bytes; -1 when none is (always for other types).
    /// </summary>
    public virtual int FindOversized(int count, int maxBytes, out long length)
    {
        length = 0;
        return -1;
    }

    public abstract void Dispose();
}

internal sealed class ParquetColumn<T> : ParquetColumn
    where T : struct
{
    private readonly DataField _field;
    private readonly ColumnType _type;
    private T[] _values = [];
    private int[]? _levels;
    private int _row;
    private int _next;

    public ParquetColumn(DataField field, ColumnType type)
    {
        _field = field;
        _type = type;
    }

    public override async ValueTask ReadAsync(ParquetRowGroupReader rowGroup, CancellationToken cancellationToken)
    {
        Release();
        long declared = rowGroup.GetMetadata(_field)?.MetaData?.NumValues ?? rowGroup.RowCount;
        int length = checked((int)Math.Max(declared, rowGroup.RowCount));
        _values = ArrayPool<T>.Shared.Rent(Math.Max(length, 1));
        _levels = _field.MaxDefinitionLevel > 0 ? ArrayPool<int>.Shared.Rent(Math.Max(length, 1)) : null;
        await rowGroup.ReadRawAsync(_field, _values.AsMemory(), _levels?.AsMemory(), null, cancellationToken).ConfigureAwait(false);
    }

    public override ColumnVector Take(int count)
    {
        bool[]? nulls = null;
        if (_levels is not null)
        {
            int max = _field.MaxDefinitionLevel;
            for (int r = 0; r < count; r++)
            {
                if (_levels[_row + r] < max)
                {
                    (nulls ??= new bool[count])[r] = true;
                }
            }
        }

        _row += count;
        if (typeof(T) == typeof(ReadOnlyMemory<char>) || typeof(T) == typeof(ReadOnlyMemory<byte>))
        {
            return TakeBinary(count, nulls);
        }

        switch (_type)
        {
            case ColumnType.Int64:
            case ColumnType.Timestamp:
            case ColumnType.Date:
                long[] longs = new long[count];
                for (int r = 0; r < count; r++)
                {
                    if (nulls is null || !nulls[r])
                    {
                        longs[r] = ToInt64(ref _values[_next++]);
                    }
                }

                return new Int64Column(longs, count, nulls, _type);
            case ColumnType.Float64:
                double[] doubles = new double[count];
                for (int r = 0; r < count; r++)
                {
                    if (nulls is null || !nulls[r])
                    {
                        doubles[r] = ToDouble(ref _values[_next++]);
                    }
                }

                return new Float64Column(doubles, count, nulls);
            case ColumnType.Bool:
                bool[] bools = new bool[count];
                for (int r = 0; r < count; r++)
                {
                    if (nulls is null || !nulls[r])
                    {
                        bools[r] = Unsafe.As<T, bool>(ref _values[_next++]);
                    }
                }

                return new BoolColumn(bools, count, nulls);
            case ColumnType.Numeric:
                int scale = ParquetTypes.DecimalScale(_field);
                Int128[] unscaled = new Int128[count];
                for (int r = 0; r < count; r++)
                {
                    if (nulls is null || !nulls[r])
                    {
                        unscaled[r] = ToUnscaled(Unsafe.As<T, decimal>(ref _values[_next++]), scale);
                    }
                }

                return new NumericColumn(unscaled, scale, count, nulls);
            default:
                throw new UnreachableException($"{typeof(T)} read as {_type}.");
        }
    }

    public override void Dispose() => Release();

    public override void Skip(int count)
    {
        int max = _field.MaxDefinitionLevel;
        for (int r = 0; r < count; r++)
        {
            if (_levels is null || _levels[_row + r] >= max)
            {
                _next++;
            }
        }

        _row += count;
    }

    public override int FindOversized(int count, int maxBytes, out long length)
    {
        length = 0;
        if (typeof(T) != typeof(ReadOnlyMemory<char>) && typeof(T) != typeof(ReadOnlyMemory<byte>))
        {
            return -1;
        }

        int max = _field.MaxDefinitionLevel;
        for (int r = 0, v = _next; r < count; r++)
        {
            if (_levels is not null && _levels[_row + r] < max)
            {
                continue;
            }

            if (typeof(T) == typeof(ReadOnlyMemory<byte>))
            {
                length = Unsafe.As<T, ReadOnlyMemory<byte>>(ref _values[v++]).Length;
            }
            else
            {
                // A char is at most 3 UTF-8 bytes: count the bytes only of a string that might be too long.
                ReadOnlySpan<char> text = Unsafe.As<T, ReadOnlyMemory<char>>(ref _values[v++]).Span;
                length = text.Length * 3L <= maxBytes ? 0 : Encoding.UTF8.GetByteCount(text);
            }

            if (length > maxBytes)
            {
                return r;
            }
        }

        length = 0;
        return -1;
    }

    private BinaryColumn TakeBinary(int count, bool[]? nulls)
    {
        int start = _next;
        int total = 0;
        for (int r = 0, v = start; r < count; r++)
        {
            if (nulls is null || !nulls[r])
            {
                total += typeof(T) == typeof(ReadOnlyMemory<char>)
                    ? Encoding.UTF8.GetByteCount(Unsafe.As<T, ReadOnlyMemory<char>>(ref _values[v++]).Span)
                    : Unsafe.As<T, ReadOnlyMemory<byte>>(ref _values[v++]).Length;
            }
        }

        byte[] data = new byte[total];
        int[] offsets = new int[count + 1];
        int at = 0;
        for (int r = 0; r < count; r++)
        {
            if (nulls is null || !nulls[r])
            {
                at += typeof(T) == typeof(ReadOnlyMemory<char>)
                    ? Encoding.UTF8.GetBytes(Unsafe.As<T, ReadOnlyMemory<char>>(ref _values[_next++]).Span, data.AsSpan(at))
                    : Copy(Unsafe.As<T, ReadOnlyMemory<byte>>(ref _values[_next++]).Span, data.AsSpan(at));
            }

            offsets[r + 1] = at;
        }

        return new BinaryColumn(data, offsets, count, nulls, _type);
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }

    // typeof(T) checks are constants once the JIT specialises the method for a value type: no boxing, no branches.
    private static long ToInt64(ref T value)
    {
        if (typeof(T) == typeof(long))
        {
            return Unsafe.As<T, long>(ref value);
        }

        if (typeof(T) == typeof(int))
        {
            return Unsafe.As<T, int>(ref value);
        }

        if (typeof(T) == typeof(short))
        {
            return Unsafe.As<T, short>(ref value);
        }

        if (typeof(T) == typeof(sbyte))
        {
            return Unsafe.As<T, sbyte>(ref value);
        }

        if (typeof(T) == typeof(byte))
        {
            return Unsafe.As<T, byte>(ref value);
        }

        if (typeof(T) == typeof(ushort))
        {
            return Unsafe.As<T, ushort>(ref value);
        }

        if (typeof(T) == typeof(uint))
        {
            return Unsafe.As<T, uint>(ref value);
        }

        if (typeof(T) == typeof(DateTime))
        {
            return ToUnixMicros(Unsafe.As<T, DateTime>(ref value));
        }

        throw new UnreachableException($"{typeof(T)} read as Int64.");
    }

    private static double ToDouble(ref T value)
    {
        if (typeof(T) == typeof(double))
        {
            return Unsafe.As<T, double>(ref value);
        }

        if (typeof(T) == typeof(float))
        {
            return Unsafe.As<T, float>(ref value);
        }

        if (typeof(T) == typeof(Half))
        {
            return (double)Unsafe.As<T, Half>(ref value);
        }

        if (typeof(T) == typeof(decimal))
        {
            return (double)Unsafe.As<T, decimal>(ref value);
        }

        throw new UnreachableException($"{typeof(T)} read as Float64.");
    }

    /// <summary>The unscaled integer of <paramref name="value"/> at the column's <paramref name="scale"/>, exactly.</summary>
    private static Int128 ToUnscaled(decimal value, int scale)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        UInt128 mantissa = ((UInt128)(uint)bits[2] << 64) | ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        Int128 signed = bits[3] < 0 ? -(Int128)mantissa : (Int128)mantissa;
        return NumericText.TryRescale(signed, (bits[3] >> 16) & 0xFF, scale, out Int128 unscaled)
            ? unscaled
            : throw new InvalidDataException($"DECIMAL value {value} does not fit scale {scale} within 38 digits.");
    }

    /// <summary>
    /// Microseconds since the epoch, rounding toward the past (a tick is 100 ns). The ticks are taken as UTC whatever
    /// the Kind: Parquet.Net returns UTC for adjusted timestamps and the wall time for the others.
    /// </summary>
    private static long ToUnixMicros(DateTime value)
    {
        long ticks = value.Ticks - DateTime.UnixEpoch.Ticks;
        return ticks >= 0 ? ticks / 10 : -((-ticks + 9) / 10);
    }

    private void Release()
    {
        if (_values.Length > 0)
        {
            ArrayPool<T>.Shared.Return(_values, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }

        if (_levels is not null)
        {
            ArrayPool<int>.Shared.Return(_levels);
        }

        _values = [];
        _levels = null;
        _row = 0;
        _next = 0;
    }
}
