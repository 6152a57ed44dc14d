using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources;

/// <summary>
/// Rows from one source partition (a BigQuery read stream, a file, a Pub/Sub pull, a synthetic shard), columnar,
/// with the offset of the first row so dead letters and checkpoints can name every row's position.
/// </summary>
public sealed class SourceChunk
{
    public SourceChunk(int partition, long firstOffset, int rowCount, IReadOnlyList<ColumnVector> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        foreach (ColumnVector column in columns)
        {
            if (column.Count != rowCount)
            {
                throw new ArgumentException($"A column holds {column.Count} values in a chunk of {rowCount} rows.", nameof(columns));
            }
        }

        Partition = partition;
        FirstOffset = firstOffset;
        RowCount = rowCount;
        Columns = columns;
    }

    public int Partition { get; }

    public long FirstOffset { get; }

    public int RowCount { get; }

    /// <summary>In the order of the source's <see cref="SourceSchema"/>.</summary>
    public IReadOnlyList<ColumnVector> Columns { get; }
}
