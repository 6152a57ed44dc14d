using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Pipeline;

/// <summary>A source chunk after mapping: its encoded rows and the records that went to the dead letter instead.</summary>
internal sealed class MappedChunk(int partition, long firstOffset, int sourceRows, RowBuffer rows, IReadOnlyList<DeadLetter> deadLetters) : IDisposable
{
    public int Partition { get; } = partition;

    public long FirstOffset { get; } = firstOffset;

    /// <summary>Rows read from the source: encoded plus dead-lettered.</summary>
    public int SourceRows { get; } = sourceRows;

    public RowBuffer Rows { get; } = rows;

    public IReadOnlyList<DeadLetter> DeadLetters { get; } = deadLetters;

    public void Dispose() => Rows.Dispose();
}
