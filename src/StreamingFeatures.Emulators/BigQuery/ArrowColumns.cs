using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// Engine columns to Arrow arrays, with the types the real service uses for each BigQuery type: INT64 int64,
/// FLOAT64 double, BOOL bool, STRING utf8, BYTES binary, TIMESTAMP timestamp[us, tz=UTC], DATE date32 (days since the
/// epoch; an engine Date column holds its midnight in microseconds), NUMERIC decimal128(38, 9) (an engine Numeric
/// column of another scale is rescaled exactly, or refused).
/// </summary>
internal static class ArrowColumns
{
    public static readonly TimestampType Timestamp = new(TimeUnit.Microsecond, "UTC");

    /// <summary>BigQuery NUMERIC: 38 digits, 9 after the point.</summary>
    public static readonly Decimal128Type Numeric = new(NumericText.MaxPrecision, NumericColumn.BigQueryScale);

    public static IArrowType TypeOf(ColumnType type) => type switch
    {
        ColumnType.Int64 => Int64Type.Default,
        ColumnType.Float64 => DoubleType.Default,
        ColumnType.Bool => BooleanType.Default,
        ColumnType.String => StringType.Default,
        ColumnType.Bytes => BinaryType.Default,
        ColumnType.Timestamp => Timestamp,
        ColumnType.Date => Date32Type.Default,
        ColumnType.Numeric => Numeric,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No Arrow type for this column type."),
    };

    public static Schema SchemaOf(SourceSchema schema) =>
        new([.. schema.Fields.Select(f => new Field(f.Name, TypeOf(f.Type), f.Nullable))], metadata: null);

    public static RecordBatch ToRecordBatch(Schema schema, SourceChunk chunk)
    {
        var arrays = new IArrowArray[chunk.Columns.Count];
        for (int c = 0; c < arrays.Length; c++)
        {
            arrays[c] = ToArray(schema.GetFieldByIndex(c).DataType, chunk.Columns[c]);
        }

        return new RecordBatch(schema, arrays, chunk.RowCount);
    }

    /// <summary>A validity bitmap (bit set = value present), or an empty buffer when nothing is null.</summary>
    public static ArrowBuffer Validity(bool[]? nulls, int count, out int nullCount)
    {
        nullCount = 0;
        if (nulls is null)
        {
            return ArrowBuffer.Empty;
        }

        var bits = new ArrowBuffer.BitmapBuilder(count);
        for (int i = 0; i < count; i++)
        {
            bits.Append(!nulls[i]);
            nullCount += nulls[i] ? 1 : 0;
        }

        return nullCount == 0 ? ArrowBuffer.Empty : bits.Build();
    }

    private static IArrowArray ToArray(IArrowType type, ColumnVector column)
    {
        int count = column.Count;
        ArrowBuffer validity = Validity(column.Nulls, count, out int nullCount);
        ArrowBuffer[] buffers = column switch
        {
            Int64Column { Type: ColumnType.Date } dates => [validity, Bytes<int>(Days(dates, count))],
            Int64Column ints => [validity, Bytes<long>(ints.Values.AsSpan(0, count))],
            NumericColumn numbers => [validity, Bytes<Int128>(Decimals(numbers, count))],
            Float64Column doubles => [validity, Bytes<double>(doubles.Values.AsSpan(0, count))],
            BoolColumn bools => [validity, Bits(bools.Values, count)],
            BinaryColumn binary => BinaryBuffers(validity, binary, count),
            _ => throw new ArgumentException($"Unsupported column {column.GetType().Name}.", nameof(column)),
        };
        return ArrowArrayFactory.BuildArray(new ArrayData(type, count, nullCount, 0, buffers));
    }

    private static ArrowBuffer[] BinaryBuffers(ArrowBuffer validity, BinaryColumn column, int count)
    {
        int first = column.Offsets[0];
        var offsets = new int[count + 1];
        for (int i = 0; i <= count; i++)
        {
            offsets[i] = column.Offsets[i] - first;
        }

        byte[] data = column.Data.AsSpan(first, column.Offsets[count] - first).ToArray();
        return [validity, Bytes<int>(offsets), new ArrowBuffer(data)];
    }

    private static int[] Days(Int64Column dates, int count)
    {
        var days = new int[count];
        for (int i = 0; i < count; i++)
        {
            if (dates.IsNull(i))
            {
                continue;
            }

            if (!DateValues.IsDate(dates.Values[i]))
            {
                throw new ArgumentException($"Date value {dates.Values[i]} µs is not a midnight UTC from 0001-01-01 to 9999-12-31.", nameof(dates));
            }

            days[i] = (int)DateValues.ToDays(dates.Values[i]);
        }

        return days;
    }

    /// <summary>The unscaled values at NUMERIC's scale, little-endian two's complement as decimal128 stores them.</summary>
    private static Int128[] Decimals(NumericColumn numbers, int count)
    {
        var values = new Int128[count];
        for (int i = 0; i < count; i++)
        {
            if (!numbers.IsNull(i) && !NumericText.TryRescale(numbers.Values[i], numbers.Scale, NumericColumn.BigQueryScale, out values[i]))
            {
                throw new ArgumentException(
                    $"Numeric value {numbers.Describe(i)} does not fit NUMERIC (38 digits, {NumericColumn.BigQueryScale} after the point) exactly.", nameof(numbers));
            }
        }

        return values;
    }

    private static ArrowBuffer Bits(bool[] values, int count)
    {
        var bits = new ArrowBuffer.BitmapBuilder(count);
        for (int i = 0; i < count; i++)
        {
            bits.Append(values[i]);
        }

        return bits.Build();
    }

    private static ArrowBuffer Bytes<T>(ReadOnlySpan<T> values)
        where T : struct => new(MemoryMarshal.AsBytes(values).ToArray());
}
