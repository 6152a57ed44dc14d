using System.Globalization;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Sources.BigQuery;

namespace StreamingFeatures.Jobs;

/// <summary>
/// Work stealing between the shards of a shared read session: a shard that read all its streams takes over the tail
/// of a straggler's stream (SplitReadStream), recorded in the split log beside the plan so a rerun of either shard
/// reads exactly what the log gives it.
/// </summary>
public sealed partial class MigrationJob
{
    private StreamStealing? _stealing;

    /// <summary>Told what work stealing did and why (each offer to split and its outcome, each request for work closed).</summary>
    public Action<string>? Note { get; init; }

    /// <summary>Reads the split log and lets <paramref name="source"/> split and take over streams.</summary>
    /// <exception cref="CheckpointException">The split log cannot be read.</exception>
    private async Task StealAsync(BigQueryStorageSource source, CancellationToken cancellationToken)
    {
        // A renewed session is read by the shards not done before it, which a request for work cannot tell from
        // shards that will never answer: its generations read without stealing.
        // With stealing off the log is still read: what earlier runs were given or handed over stays theirs.
        if (_options.DryRun || _plan is { Generation: > 0 } || PlanStore() is not { } store)
        {
            return;
        }

        _stealing = await StreamStealing.LoadAsync(store, source.Session, _options.ShardIndex, _options.ShardCount, _time, _warn, Note ?? (_ => { }), cancellationToken, active: _options.WorkStealing).ConfigureAwait(false);
        source.Rebalancer = _stealing;
    }

    /// <summary>A residual partition's name: its number and where it came from; null for the session's own streams.</summary>
    private string? StolenName(int partition) => Stolen(partition) is { } split
        ? string.Create(CultureInfo.InvariantCulture, $"stream {partition} ({(split.IsHandOver ? "handed over" : "split")} from stream {split.Partition} of shard {split.Owner})")
        : null;

    private StreamSplit? Stolen(int partition) => _stealing?.Log.GivenTo(_options.ShardIndex).FirstOrDefault(e => e.ResidualPartition == partition);

    /// <summary>The residual streams this shard took over, with the rows read of each (all runs).</summary>
    private IReadOnlyList<TakenOverFigures> TakenOver(IReadOnlyDictionary<int, RowStats> committed) =>
        [.. committed.Keys.Order().Select(p => (Partition: p, Split: Stolen(p))).Where(p => p.Split is not null)
            .Select(p => new TakenOverFigures(StolenName(p.Partition)!, p.Split!.Owner ?? -1, p.Split.Partition, committed[p.Partition].Read))];
}
