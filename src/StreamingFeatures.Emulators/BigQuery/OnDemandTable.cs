using Apache.Arrow;
using StreamingFeatures.Sources;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// A table served from an <see cref="IRandomAccessRowSource"/> without holding it: batch i is rows
/// <c>[i * BatchRows, (i + 1) * BatchRows)</c>, read from the source and converted to Arrow when a read needs it.
/// A small direct-mapped cache (<see cref="CacheSlots"/> batches, a few MB) lets the responses of concurrent streams
/// that share a batch, and a filter scan followed by the read, reuse it; memory does not grow with the row count.
/// </summary>
internal sealed class OnDemandTable : EmulatorTable
{
    public const int BatchRows = 1_024;
    private const int CacheSlots = 64;

    private readonly IRandomAccessRowSource _source;
    private readonly CachedBatch?[] _cache = new CachedBatch?[CacheSlots];
    private readonly long _rows;

    public OnDemandTable(string name, IRandomAccessRowSource source)
        : base(name, source.Schema, ArrowColumns.SchemaOf(source.Schema))
    {
        _source = source;
        _rows = source.RowCount;
        BatchCount = checked((int)((_rows + BatchRows - 1) / BatchRows));
    }

    public override long RowCount => _rows;

    public override int BatchCount { get; }

    public override long BatchStart(int index) => Math.Min((long)index * BatchRows, _rows);

    public override int BatchOf(long row) => (int)Math.Clamp(row / BatchRows, 0, Math.Max(0, BatchCount - 1));

    public override RecordBatch Batch(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BatchCount);

        // Entries are immutable and replaced whole, so a racing reader sees either the old or the new batch; two
        // threads missing on the same batch both build it (deterministic, so either result is right).
        ref CachedBatch? slot = ref _cache[index % CacheSlots];
        if (Volatile.Read(ref slot) is { } cached && cached.Index == index)
        {
            return cached.Batch;
        }

        long first = BatchStart(index);
        RecordBatch batch = ArrowColumns.ToRecordBatch(Schema, _source.Read(first, (int)(BatchStart(index + 1) - first)));
        Volatile.Write(ref slot, new CachedBatch(index, batch));
        return batch;
    }

    /// <summary>
    /// The first batch's logical bytes per row (see <see cref="LogicalBytes"/>) times the rows: exact for fixed-width
    /// columns without NULLs, an average for STRING and BYTES, without reading the whole source.
    /// </summary>
    public override long EstimateBytes(IReadOnlyList<int> columns)
    {
        if (BatchCount == 0)
        {
            return 0;
        }

        RecordBatch sample = Batch(0);
        return sample.Length == 0 ? 0 : (long)((double)LogicalBytes.Of(sample, columns) / sample.Length * _rows);
    }

    private sealed record CachedBatch(int Index, RecordBatch Batch);
}
