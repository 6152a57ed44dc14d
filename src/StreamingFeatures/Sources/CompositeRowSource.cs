using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Dataflow;

namespace StreamingFeatures.Sources;

/// <summary>
/// Several sources as one, for fan-in: every chunk reaches the target with its columns in the order of the first
/// source's schema, whatever order each other source declares them in, so one mapper serves them all. Each other
/// source must carry every column of the first, by name and type (extra columns are dropped). Sources name their
/// partitions apart: a partition is what checkpoints and dead letters count in. The first failure stops the others
/// and is rethrown as it was.
/// </summary>
public sealed partial class CompositeRowSource : IRowSource
{
    private readonly IRowSource[] _sources;

    // Per source, the ordinal of each of the first source's columns in its own chunks; null where it is the same.
    private readonly int[]?[] _layouts;
    private readonly ConcurrentDictionary<int, IRowSource> _owners = new();

    /// <exception cref="ArgumentException">No source, or a source lacks a column of the first, every problem named.</exception>
    public CompositeRowSource(params IReadOnlyList<IRowSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            throw new ArgumentException("A composite source needs at least one source.", nameof(sources));
        }

        _sources = [.. sources];
        Schema = _sources[0].Schema;
        _layouts = new int[]?[_sources.Length];
        var errors = new List<string>();
        for (int i = 1; i < _sources.Length; i++)
        {
            _layouts[i] = Layout(Schema, _sources[i], errors);
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("The sources cannot share one column layout: " + string.Join(" ", errors), nameof(sources));
        }
    }

    public SourceSchema Schema { get; }

    public string Description => string.Join(" + ", _sources.Select(s => s.Description));

    public long? ExpectedRows
    {
        get
        {
            long total = 0;
            foreach (IRowSource source in _sources)
            {
                if (source.ExpectedRows is not { } rows)
                {
                    return null;
                }

                total += rows;
            }

            return total;
        }
    }

    /// <summary>The first offset by the source that sent the partition; the first source's before any chunk of it came.</summary>
    public long FirstOffset(int partition) =>
        (_owners.TryGetValue(partition, out IRowSource? owner) ? owner : _sources[0]).FirstOffset(partition);

    public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_sources.Length == 1)
        {
            await _sources[0].RunAsync(target, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var siblings = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ExceptionDispatchInfo? failure = null;
        async Task RunOneAsync(int index)
        {
            try
            {
                await RelayAsync(index, target, siblings.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (siblings.IsCancellationRequested)
            {
                // Stopping, or a sibling failed: the failure (if any) is the one to report.
            }
#pragma warning disable CA1031 // The first failure stops the siblings and is rethrown below, unchanged.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                await siblings.CancelAsync().ConfigureAwait(false);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, _sources.Length).Select(RunOneAsync)).ConfigureAwait(false);
        failure?.Throw();
    }

    private static int[]? Layout(SourceSchema first, IRowSource source, List<string> errors)
    {
        var ordinals = new int[first.Fields.Count];
        bool same = source.Schema.Fields.Count == first.Fields.Count;
        for (int i = 0; i < ordinals.Length; i++)
        {
            SourceField field = first.Fields[i];
            ordinals[i] = source.Schema.IndexOf(field.Name);
            if (ordinals[i] < 0)
            {
                errors.Add($"{source.Description} has no column '{field.Name}'.");
            }
            else if (source.Schema.Fields[ordinals[i]].Type != field.Type)
            {
                errors.Add($"{source.Description} has column '{field.Name}' as {source.Schema.Fields[ordinals[i]].Type}, the first source as {field.Type}.");
            }

            same &= ordinals[i] == i;
        }

        return same ? null : ordinals;
    }
}
