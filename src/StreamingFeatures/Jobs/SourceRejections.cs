using StreamingFeatures.Checkpoints;
using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Jobs;

/// <summary>
/// The dead-letter output a source writes to when it refuses a row itself (a CSV cell that does not parse): the
/// row never reaches the graph, so it is marked done here, or the checkpoint would wait behind it forever.
/// </summary>
internal sealed class SourceRejections(IDeadLetterSink inner, ProgressTracker progress) : IDeadLetterSink
{
    public async ValueTask WriteAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        // File sources re-read a file from its start on a resumed run; a row an earlier run committed was already
        // dead-lettered and counted then.
        if (deadLetter.Offset < progress.CommittedOffset(deadLetter.Partition))
        {
            return;
        }

        await inner.WriteAsync(deadLetter, cancellationToken).ConfigureAwait(false);
        progress.Complete([new SourceRange(deadLetter.Partition, deadLetter.Offset, deadLetter.Offset + 1, new RowStats(Read: 1, Written: 0, DeadLettered: 1, Verified: 0, Missing: 0, Changed: 0, Retries: 0, DigestSum: 0, DigestXor: 0))]);
    }
}
