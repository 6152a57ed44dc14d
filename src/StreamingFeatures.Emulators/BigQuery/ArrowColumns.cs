using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// Engine columns to Arrow arrays, with the types the real service uses for each BigQuery type: INT64 int64,
/// FLOAT64 double, BOOL bool, STRING utf8, BYTES binary, TIMESTAMP timestamp[us, tz=UTC].
/// </summary>
internal static class ArrowColumns
{
    public static readonly TimestampType Timestamp = new(TimeUnit.Microsecond, "UTC");

    public static IArrowType TypeOf(ColumnType type) => type switch
    {
        ColumnType.Int64 => Int64Type.Default,
        ColumnType.Float64 => DoubleType.Default,
        ColumnType.Bool => BooleanType.Default,
        ColumnType.String => StringType.Default,
        ColumnType.Bytes => BinaryType.Default,
        ColumnType.Timestamp => Timestamp,
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
            Int64Column ints => [validity, Bytes<long>(ints.Values.AsSpan(0, count))],
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
