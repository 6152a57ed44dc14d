using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// Copies chosen rows and columns of a table into a new record batch: one ReadRows response's rows. Rows are grouped
/// into runs that share a source batch, so an on-demand table is asked for each batch once per response and each
/// column is copied run by run (a whole slice at once when the run's rows are contiguous, as without a filter).
/// </summary>
internal static class ArrowGather
{
    /// <summary>The source batch and index of each of <paramref name="rows"/> (ascending table rows), and the runs of rows sharing a batch.</summary>
    public static Located Locate(EmulatorTable table, ReadOnlySpan<long> rows)
    {
        var indexes = new int[rows.Length];
        var runs = new List<Run>();
        if (rows.IsEmpty)
        {
            return new Located(indexes, runs);
        }

        int batch = table.BatchOf(rows[0]);
        long start = table.BatchStart(batch);
        long end = table.BatchStart(batch + 1);
        int runStart = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] >= end)
            {
                runs.Add(new Run(table.Batch(batch), runStart, i));
                runStart = i;

                // Jump straight to the row's batch: with a filter the rows may skip batches, which need not be built.
                batch = table.BatchOf(rows[i]);
                start = table.BatchStart(batch);
                end = table.BatchStart(batch + 1);
            }

            indexes[i] = (int)(rows[i] - start);
        }

        runs.Add(new Run(table.Batch(batch), runStart, rows.Length));
        return new Located(indexes, runs);
    }

    /// <summary>How many of the located rows fit <paramref name="maxBytes"/> (at least one), at the width of each fixed-width value and length + 4 per STRING or BYTES value.</summary>
    public static int Fit(Located located, IReadOnlyList<int> columns, long maxBytes)
    {
        long bytes = 0;
        int fits = 0;
        foreach (Run run in located.Runs)
        {
            for (int i = run.From; i < run.To; i++)
            {
                foreach (int c in columns)
                {
                    IArrowArray array = run.Batch.Column(c);
                    bytes += array is BinaryArray binary ? binary.GetValueLength(located.Indexes[i]) + 4 : ArrowFixedWidth.ByteWidth(array.Data.DataType);
                }

                if (fits > 0 && bytes > maxBytes)
                {
                    return fits;
                }

                fits++;
            }
        }

        return fits;
    }

    /// <summary>The first <paramref name="count"/> located rows, in <paramref name="columns"/>, as a batch of <paramref name="schema"/>.</summary>
    public static RecordBatch Build(Schema schema, IReadOnlyList<int> columns, Located located, int count)
    {
        var arrays = new IArrowArray[columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            int ordinal = columns[c];
            IArrowType type = schema.GetFieldByIndex(c).DataType;
            ArrowBuffer validity = Validity(located, ordinal, count, out int nullCount);
            ArrowBuffer[] buffers = type.TypeId switch
            {
                ArrowTypeId.Boolean => [validity, Booleans(located, ordinal, count)],
                ArrowTypeId.String or ArrowTypeId.Binary => Binaries(validity, located, ordinal, count),
                _ => [validity, FixedWidth(located, ordinal, count, ArrowFixedWidth.ByteWidth(type))],
            };
            arrays[c] = ArrowArrayFactory.BuildArray(new ArrayData(type, count, nullCount, 0, buffers));
        }

        return new RecordBatch(schema, arrays, count);
    }

    private static ArrowBuffer Validity(Located located, int ordinal, int count, out int nullCount)
    {
        nullCount = 0;
        bool anyNulls = false;
        foreach (Run run in located.Runs)
        {
            anyNulls |= run.From < count && run.Batch.Column(ordinal).NullCount > 0;
        }

        if (!anyNulls)
        {
            return ArrowBuffer.Empty;
        }

        var bits = new ArrowBuffer.BitmapBuilder(count);
        foreach ((RecordBatch batch, int from, int to) in located.Runs)
        {
            IArrowArray array = batch.Column(ordinal);
            for (int i = from; i < Math.Min(to, count); i++)
            {
                bool isNull = array.IsNull(located.Indexes[i]);
                bits.Append(!isNull);
                nullCount += isNull ? 1 : 0;
            }
        }

        return nullCount == 0 ? ArrowBuffer.Empty : bits.Build();
    }

    private static ArrowBuffer FixedWidth(Located located, int ordinal, int count, int width)
    {
        // Any fixed width (date32 4 bytes; int64, double, timestamp 8; decimal128 16), copied byte for byte.
        byte[] bytes = new byte[count * width];
        foreach ((RecordBatch batch, int from, int runTo) in located.Runs)
        {
            int to = Math.Min(runTo, count);
            if (from >= to)
            {
                break;
            }

            IArrowArray array = batch.Column(ordinal);
            ReadOnlySpan<byte> source = array.Data.Buffers[1].Span[(array.Offset * width)..];
            ReadOnlySpan<int> indexes = located.Indexes.AsSpan(from, to - from);
            if (indexes[^1] - indexes[0] == indexes.Length - 1)
            {
                source.Slice(indexes[0] * width, indexes.Length * width).CopyTo(bytes.AsSpan(from * width));
                continue;
            }

            for (int i = 0; i < indexes.Length; i++)
            {
                source.Slice(indexes[i] * width, width).CopyTo(bytes.AsSpan((from + i) * width));
            }
        }

        return new ArrowBuffer(bytes);
    }

    private static ArrowBuffer Booleans(Located located, int ordinal, int count)
    {
        var bits = new ArrowBuffer.BitmapBuilder(count);
        foreach ((RecordBatch batch, int from, int to) in located.Runs)
        {
            var array = (BooleanArray)batch.Column(ordinal);
            for (int i = from; i < Math.Min(to, count); i++)
            {
                bits.Append(array.GetValue(located.Indexes[i]) ?? false);
            }
        }

        return bits.Build();
    }

    private static ArrowBuffer[] Binaries(ArrowBuffer validity, Located located, int ordinal, int count)
    {
        byte[] offsetBytes = new byte[(count + 1) * sizeof(int)];
        Span<int> offsets = MemoryMarshal.Cast<byte, int>(offsetBytes.AsSpan());
        foreach ((RecordBatch batch, int from, int to) in located.Runs)
        {
            var array = (BinaryArray)batch.Column(ordinal);
            for (int i = from; i < Math.Min(to, count); i++)
            {
                offsets[i + 1] = offsets[i] + array.GetValueLength(located.Indexes[i]);
            }
        }

        byte[] data = new byte[offsets[count]];
        foreach ((RecordBatch batch, int from, int to) in located.Runs)
        {
            var array = (BinaryArray)batch.Column(ordinal);
            for (int i = from; i < Math.Min(to, count); i++)
            {
                array.GetBytes(located.Indexes[i]).CopyTo(data.AsSpan(offsets[i]));
            }
        }

        return [validity, new ArrowBuffer(offsetBytes), new ArrowBuffer(data)];
    }

    /// <summary>Response rows <c>[From, To)</c> all come from <see cref="Batch"/>.</summary>
    public readonly record struct Run(RecordBatch Batch, int From, int To);

    /// <summary>Each response row's index in its source batch, and the runs of rows sharing a batch.</summary>
    public sealed record Located(int[] Indexes, List<Run> Runs);
}
