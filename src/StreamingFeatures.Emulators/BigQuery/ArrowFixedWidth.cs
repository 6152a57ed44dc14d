using Apache.Arrow.Types;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>Widths of fixed-width Arrow values (date32: 4 bytes; int64, double, timestamp: 8; decimal128: 16).</summary>
internal static class ArrowFixedWidth
{
    /// <summary>Bytes per value of a fixed-width Arrow type.</summary>
    public static int ByteWidth(IArrowType type) => type is FixedWidthType fixedWidth
        ? fixedWidth.BitWidth / 8
        : throw new ArgumentException($"Arrow type {type.Name} is not fixed-width.", nameof(type));
}
