using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources;

/// <summary>
/// Resumes a source that cannot start mid-partition (files, the generator): it reads from the start, and rows before
/// each partition's committed offset are dropped before they enter the graph, so no row is written or counted twice.
/// Sources that can seek (BigQuery streams) take start offsets instead.
/// </summary>
public sealed class ResumingSource(IRowSource inner, IReadOnlyDictionary<int, long> committed) : IRowSource
{
    public SourceSchema Schema => inner.Schema;

    public string Description => inner.Description;

    public long? ExpectedRows => inner.ExpectedRows;

    public long FirstOffset(int partition) => inner.FirstOffset(partition);

    public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);

        // A block of its own rather than a link: when the target stops taking chunks, the filter stops taking them
        // too, so the inner source sees its send refused and ends, as the contract of IRowSource asks.
        using var declined = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var filter = new ActionBlock<SourceChunk>(
            async chunk =>
            {
                if (Remaining(chunk) is { } rest && !await target.SendAsync(rest, cancellationToken).ConfigureAwait(false))
                {
                    await declined.CancelAsync().ConfigureAwait(false);
                }
            },
            new ExecutionDataflowBlockOptions { BoundedCapacity = 1, CancellationToken = declined.Token });
        try
        {
            await inner.RunAsync(filter, declined.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (declined.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            filter.Complete();
        }

        try
        {
            await filter.Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (declined.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The target stopped taking chunks: the pipeline is stopping.
        }
    }

    /// <summary>The part of <paramref name="chunk"/> at or after its partition's committed offset, or null.</summary>
    internal SourceChunk? Remaining(SourceChunk chunk)
    {
        long from = committed.TryGetValue(chunk.Partition, out long offset) ? offset : inner.FirstOffset(chunk.Partition);
        long end = chunk.FirstOffset + chunk.RowCount;
        if (end <= from)
        {
            return null;
        }

        if (chunk.FirstOffset >= from)
        {
            return chunk;
        }

        int skip = (int)(from - chunk.FirstOffset);
        return new SourceChunk(chunk.Partition, from, chunk.RowCount - skip, [.. chunk.Columns.Select(c => Tail(c, skip))]);
    }

    private static ColumnVector Tail(ColumnVector column, int skip)
    {
        int count = column.Count - skip;
        bool[]? nulls = column.Nulls?[skip..column.Count];
        switch (column)
        {
            case Int64Column longs:
                return new Int64Column(longs.Values[skip..column.Count], count, nulls, column.Type);
            case Float64Column doubles:
                return new Float64Column(doubles.Values[skip..column.Count], count, nulls);
            case BoolColumn bools:
                return new BoolColumn(bools.Values[skip..column.Count], count, nulls);
            case NumericColumn numbers:
                return new NumericColumn(numbers.Values[skip..column.Count], numbers.Scale, count, nulls);
            case BinaryColumn binary:
                int start = binary.Offsets[skip];
                int[] offsets = new int[count + 1];
                for (int i = 0; i <= count; i++)
                {
                    offsets[i] = binary.Offsets[skip + i] - start;
                }

                return new BinaryColumn(binary.Data[start..binary.Offsets[column.Count]], offsets, count, nulls, column.Type);
            default:
                throw new NotSupportedException($"Resuming mid-chunk is not implemented for {column.GetType().Name} columns.");
        }
    }
}
