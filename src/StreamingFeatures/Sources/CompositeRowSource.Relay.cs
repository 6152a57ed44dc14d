using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources;

/// <summary>Each source runs into a relay that puts its chunks in the shared column layout.</summary>
public sealed partial class CompositeRowSource
{
    /// <summary>
    /// A block of its own rather than a link, as ResumingSource does: one chunk at a time, and when the target stops
    /// taking chunks the relay stops too, so the source sees its send refused and ends as IRowSource asks.
    /// </summary>
    private async Task RelayAsync(int index, ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        IRowSource source = _sources[index];
        int[]? layout = _layouts[index];
        using var declined = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var relay = new ActionBlock<SourceChunk>(
            async chunk =>
            {
                IRowSource owner = _owners.GetOrAdd(chunk.Partition, source);
                if (owner != source)
                {
                    // Not a record's problem but the job's: two sources would share one partition's checkpoint.
                    throw new InvalidOperationException(
                        $"Partition {chunk.Partition} comes from both {owner.Description} and {source.Description}; the sources of a composite must number their partitions apart.");
                }

                if (!await target.SendAsync(InLayout(chunk, layout), cancellationToken).ConfigureAwait(false))
                {
                    await declined.CancelAsync().ConfigureAwait(false);
                }
            },
            new ExecutionDataflowBlockOptions { BoundedCapacity = 1, CancellationToken = declined.Token });
        try
        {
            await source.RunAsync(relay, declined.Token).ConfigureAwait(false);
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

    private static SourceChunk InLayout(SourceChunk chunk, int[]? layout)
    {
        if (layout is null)
        {
            return chunk;
        }

        var columns = new ColumnVector[layout.Length];
        for (int i = 0; i < layout.Length; i++)
        {
            columns[i] = chunk.Columns[layout[i]];
        }

        return new SourceChunk(chunk.Partition, chunk.FirstOffset, chunk.RowCount, columns);
    }
}
