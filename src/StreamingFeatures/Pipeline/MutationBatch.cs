using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Pipeline;

/// <summary>
/// One MutateRows request's worth of rows (from one or more chunks), plus the dead letters mapping produced for the
/// source rows it accounts for, so the verification sink sees every source row exactly once.
/// </summary>
internal sealed class MutationBatch(long id, RowBuffer rows, IReadOnlyList<DeadLetter> deadLetters, long sourceRows) : IDisposable
{
    public long Id { get; } = id;

    public RowBuffer Rows { get; } = rows;

    public IReadOnlyList<DeadLetter> DeadLetters { get; } = deadLetters;

    /// <summary>Source rows accounted for: the encoded rows plus those dead-lettered while mapping.</summary>
    public long SourceRows { get; } = sourceRows;

    public void Dispose() => Rows.Dispose();
}
