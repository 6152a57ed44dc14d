using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Pipeline;

/// <summary>What became of a batch: which rows Bigtable holds, which went to the dead letter, and how hard it was.</summary>
internal sealed class WriteOutcome(MutationBatch batch, bool[] failed, IReadOnlyList<DeadLetter> writeFailures, int attempts, long retriedEntries)
{
    public MutationBatch Batch { get; } = batch;

    /// <summary>Per row of <see cref="MutationBatch.Rows"/>: true when it was not written.</summary>
    public bool[] Failed { get; } = failed;

    public IReadOnlyList<DeadLetter> WriteFailures { get; } = writeFailures;

    public int Attempts { get; } = attempts;

    public long RetriedEntries { get; } = retriedEntries;

    public int WrittenRows => Failed.Length - WriteFailures.Count;
}
