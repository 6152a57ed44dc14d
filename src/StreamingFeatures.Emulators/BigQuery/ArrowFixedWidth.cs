using Apache.Arrow;
using Apache.Arrow.Types;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// Gathers fixed-width values of any width (date32: 4 bytes; int64, double, timestamp: 8; decimal128: 16) for
/// <see cref="ArrowGather"/>, byte for byte, so no type needs its own copy.
/// </summary>
internal static class ArrowFixedWidth
{
    /// <summary>Bytes per value of a fixed-width Arrow type.</summary>
    public static int ByteWidth(IArrowType type) => type is FixedWidthType fixedWidth
        ? fixedWidth.BitWidth / 8
        : throw new ArgumentException($"Arrow type {type.Name} is not fixed-width.", nameof(type));

    /// <summary>The values of column <paramref name="ordinal"/> at the located rows, as one data buffer.</summary>
    public static ArrowBuffer Gather(EmulatorTable table, int ordinal, int[] batches, int[] indexes)
    {
        int width = ByteWidth(table.Schema.GetFieldByIndex(ordinal).DataType);
        var values = new byte[batches.Length * width];
        for (int i = 0; i < batches.Length; i++)
        {
            IArrowArray array = table.Batch(batches[i]).Column(ordinal);
            array.Data.Buffers[1].Span.Slice((array.Offset + indexes[i]) * width, width).CopyTo(values.AsSpan(i * width));
        }

        return new ArrowBuffer(values);
    }
}
