using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources;

namespace StreamingFeatures.LoadTesting;

/// <summary>
/// Runs a source through a step of the load generator's own (pace, admit) before its chunks reach the target. A
/// block of its own rather than a link, as ResumingSource does: one chunk at a time, and when the target stops
/// taking chunks the relay stops too, so the inner source sees its send refused and ends as IRowSource asks.
/// </summary>
internal static class SourceRelay
{
    public static async Task RunAsync(IRowSource inner, ITargetBlock<SourceChunk> target, Func<SourceChunk, CancellationToken, Task> beforeSend, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var declined = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var relay = new ActionBlock<SourceChunk>(
            async chunk =>
            {
                await beforeSend(chunk, declined.Token).ConfigureAwait(false);
                if (!await target.SendAsync(chunk, cancellationToken).ConfigureAwait(false))
                {
                    await declined.CancelAsync().ConfigureAwait(false);
                }
            },
            new ExecutionDataflowBlockOptions { BoundedCapacity = 1, CancellationToken = declined.Token });
        try
        {
            await inner.RunAsync(relay, declined.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (declined.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            relay.Complete();
        }

        try
        {
            await relay.Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (declined.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The target stopped taking chunks: the pipeline is stopping.
        }
    }
}
