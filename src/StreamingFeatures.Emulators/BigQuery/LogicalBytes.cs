using Apache.Arrow;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// BigQuery's logical data size, which <c>estimated_total_bytes_scanned</c> and on-demand billing count: per non-NULL
/// value 8 bytes for INT64, FLOAT64, TIMESTAMP and DATE, 16 for NUMERIC, 1 for BOOL, 2 plus the UTF-8 length for
/// STRING and 2 plus the length for BYTES; a NULL is 0 bytes. A read session scans whole selected columns: a row
/// restriction does not lower the estimate (BigQuery filters after the scan).
/// </summary>
internal static class LogicalBytes
{
    /// <summary>The logical bytes of <paramref name="columns"/> in <paramref name="batch"/>.</summary>
    public static long Of(RecordBatch batch, IReadOnlyList<int> columns)
    {
        long bytes = 0;
        foreach (int c in columns)
        {
            bytes += Of(batch.Column(c));
        }

        return bytes;
    }

    private static long Of(IArrowArray array)
    {
        long present = array.Length - array.NullCount;
        return array switch
        {
            // Offsets of NULL entries span no bytes, so the data length is that of the present values.
            BinaryArray binary => (2 * present) + binary.ValueOffsets[array.Length] - binary.ValueOffsets[0],
            BooleanArray => present,
            Decimal128Array => 16 * present,
            _ => 8 * present,
        };
    }
}
