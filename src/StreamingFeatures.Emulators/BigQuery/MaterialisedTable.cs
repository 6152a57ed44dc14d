using System.Threading.Tasks.Dataflow;
using Apache.Arrow;
using StreamingFeatures.Sources;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// A table materialised once into Arrow record batches held in memory (for sources without random access), in a
/// deterministic row order: the source's
/// chunks sorted by partition, then by offset, so the same source always gives the same rows at the same positions
/// (a resumed client relies on it). Memory is the Arrow size of the data: 8 bytes per INT64, FLOAT64 or TIMESTAMP
/// value, one bit per BOOL value, the bytes of each STRING or BYTES value plus a 4-byte offset, and one bit per value
/// of a column with nulls; about 60 MB per million rows of the synthetic table with 4 int64 features.
/// </summary>
internal sealed class MaterialisedTable : EmulatorTable
{
    private readonly RecordBatch[] _batches;
    private readonly long[] _starts;

    private MaterialisedTable(string name, SourceSchema sourceSchema, Schema schema, RecordBatch[] batches)
        : base(name, sourceSchema, schema)
    {
        _batches = batches;
        _starts = new long[batches.Length + 1];
        for (int i = 0; i < batches.Length; i++)
        {
            _starts[i + 1] = _starts[i] + batches[i].Length;
        }
    }

    public override long RowCount => _starts[^1];

    public override int BatchCount => _batches.Length;

    public override RecordBatch Batch(int index) => _batches[index];

    public override long BatchStart(int index) => _starts[index];

    public override int BatchOf(long row)
    {
        int found = System.Array.BinarySearch(_starts, 0, _batches.Length, row);
        int index = found >= 0 ? found : ~found - 1;

        // Empty batches share a start with the next one: move to the batch that holds the row.
        while (index < _batches.Length - 1 && _starts[index + 1] <= row)
        {
            index++;
        }

        return index;
    }

    /// <summary>Exact: every batch counted (see <see cref="LogicalBytes"/>).</summary>
    public override long EstimateBytes(IReadOnlyList<int> columns)
    {
        long bytes = 0;
        foreach (RecordBatch batch in _batches)
        {
            bytes += LogicalBytes.Of(batch, columns);
        }

        return bytes;
    }

    public static async Task<MaterialisedTable> MaterialiseAsync(string name, IRowSource source, CancellationToken cancellationToken)
    {
        Schema schema = ArrowColumns.SchemaOf(source.Schema);
        var converted = new List<(int Partition, long Offset, RecordBatch Batch)>();

        // One chunk at a time (the block's default degree of parallelism is 1), so the list needs no lock; the bound
        // makes a fast source wait instead of queueing its whole output next to the converted batches.
        var collector = new ActionBlock<SourceChunk>(
            chunk => converted.Add((chunk.Partition, chunk.FirstOffset, ArrowColumns.ToRecordBatch(schema, chunk))),
            new ExecutionDataflowBlockOptions { BoundedCapacity = 4, CancellationToken = cancellationToken });
        try
        {
            await source.RunAsync(collector, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            collector.Complete();
        }

        await collector.Completion.ConfigureAwait(false);
        RecordBatch[] batches = [.. converted.OrderBy(c => c.Partition).ThenBy(c => c.Offset).Select(c => c.Batch)];
        return new MaterialisedTable(name, source.Schema, schema, batches);
    }
}
