using Apache.Arrow;
using StreamingFeatures.Sources;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// A table as the emulator serves it: Arrow record batches in a fixed row order, so the same table always gives the
/// same rows at the same positions (a resumed client relies on it). <see cref="MaterialisedTable"/> holds every batch;
/// <see cref="OnDemandTable"/> builds each batch from an <see cref="IRandomAccessRowSource"/> when a read needs it.
/// </summary>
internal abstract class EmulatorTable(string name, SourceSchema sourceSchema, Schema schema)
{
    /// <summary><c>projects/P/datasets/D/tables/T</c>.</summary>
    public string Name { get; } = name;

    public SourceSchema SourceSchema { get; } = sourceSchema;

    public Schema Schema { get; } = schema;

    public abstract long RowCount { get; }

    public abstract int BatchCount { get; }

    /// <summary>Batch <paramref name="index"/>; on an on-demand table, fetch it once per run of rows, not per row.</summary>
    public abstract RecordBatch Batch(int index);

    /// <summary>The table row of the first row of batch <paramref name="index"/> (<see cref="RowCount"/> for index <see cref="BatchCount"/>).</summary>
    public abstract long BatchStart(int index);

    /// <summary>The batch holding table row <paramref name="row"/>.</summary>
    public abstract int BatchOf(long row);

    /// <summary>Bytes of row data in <paramref name="columns"/>, for <c>estimated_total_bytes_scanned</c>.</summary>
    public abstract long EstimateBytes(IReadOnlyList<int> columns);
}
