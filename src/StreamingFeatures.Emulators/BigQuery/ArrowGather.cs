using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>Copies chosen rows and columns of a table into a new record batch: one ReadRows response's rows.</summary>
internal static class ArrowGather
{
    /// <summary>Locates each of <paramref name="rows"/> (ascending table rows) as a batch and an index within it.</summary>
    public static (int[] Batches, int[] Indexes) Locate(EmulatorTable table, ReadOnlySpan<long> rows)
    {
        var batches = new int[rows.Length];
        var indexes = new int[rows.Length];
        int batch = rows.Length > 0 ? table.BatchOf(rows[0]) : 0;
        for (int i = 0; i < rows.Length; i++)
        {
            while (table.BatchStart(batch + 1) <= rows[i])
            {
                batch++;
            }

            batches[i] = batch;
            indexes[i] = (int)(rows[i] - table.BatchStart(batch));
        }

        return (batches, indexes);
    }

    /// <summary>Bytes of row data at the located positions, per row, for response sizing (8 per fixed-width value).</summary>
    public static long RowBytes(EmulatorTable table, IReadOnlyList<int> columns, int batch, int index)
    {
        long bytes = 0;
        foreach (int c in columns)
        {
            bytes += table.Batch(batch).Column(c) is BinaryArray binary ? binary.GetValueLength(index) + 4 : 8;
        }

        return bytes;
    }

    public static RecordBatch Build(EmulatorTable table, Schema schema, IReadOnlyList<int> columns, int[] batches, int[] indexes)
    {
        int count = batches.Length;
        var arrays = new IArrowArray[columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            int ordinal = columns[c];
            IArrowType type = table.Schema.GetFieldByIndex(ordinal).DataType;
            ArrowBuffer validity = Validity(table, ordinal, batches, indexes, out int nullCount);
            ArrowBuffer[] buffers = type.TypeId switch
            {
                ArrowTypeId.Boolean => [validity, Booleans(table, ordinal, batches, indexes)],
                ArrowTypeId.String or ArrowTypeId.Binary => Binaries(validity, table, ordinal, batches, indexes),
                _ => [validity, FixedWidth(table, ordinal, batches, indexes)],
            };
            arrays[c] = ArrowArrayFactory.BuildArray(new ArrayData(type, count, nullCount, 0, buffers));
        }

        return new RecordBatch(schema, arrays, count);
    }

    private static ArrowBuffer Validity(EmulatorTable table, int ordinal, int[] batches, int[] indexes, out int nullCount)
    {
        nullCount = 0;
        var bits = new ArrowBuffer.BitmapBuilder(batches.Length);
        for (int i = 0; i < batches.Length; i++)
        {
            bool isNull = table.Batch(batches[i]).Column(ordinal).IsNull(indexes[i]);
            bits.Append(!isNull);
            nullCount += isNull ? 1 : 0;
        }

        return nullCount == 0 ? ArrowBuffer.Empty : bits.Build();
    }

    private static ArrowBuffer FixedWidth(EmulatorTable table, int ordinal, int[] batches, int[] indexes)
    {
        // INT64, FLOAT64 and TIMESTAMP are all 8-byte values: copy them as longs, bit for bit.
        var values = new long[batches.Length];
        for (int i = 0; i < batches.Length; i++)
        {
            IArrowArray array = table.Batch(batches[i]).Column(ordinal);
            values[i] = MemoryMarshal.Cast<byte, long>(array.Data.Buffers[1].Span)[array.Offset + indexes[i]];
        }

        return new ArrowBuffer(MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    private static ArrowBuffer Booleans(EmulatorTable table, int ordinal, int[] batches, int[] indexes)
    {
        var bits = new ArrowBuffer.BitmapBuilder(batches.Length);
        for (int i = 0; i < batches.Length; i++)
        {
            bits.Append(((BooleanArray)table.Batch(batches[i]).Column(ordinal)).GetValue(indexes[i]) ?? false);
        }

        return bits.Build();
    }

    private static ArrowBuffer[] Binaries(ArrowBuffer validity, EmulatorTable table, int ordinal, int[] batches, int[] indexes)
    {
        var offsets = new int[batches.Length + 1];
        for (int i = 0; i < batches.Length; i++)
        {
            offsets[i + 1] = offsets[i] + ((BinaryArray)table.Batch(batches[i]).Column(ordinal)).GetValueLength(indexes[i]);
        }

        var data = new byte[offsets[^1]];
        for (int i = 0; i < batches.Length; i++)
        {
            ((BinaryArray)table.Batch(batches[i]).Column(ordinal)).GetBytes(indexes[i]).CopyTo(data.AsSpan(offsets[i]));
        }

        return [validity, new ArrowBuffer(MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray()), new ArrowBuffer(data)];
    }
}
