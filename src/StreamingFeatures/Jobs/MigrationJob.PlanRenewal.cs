using StreamingFeatures.Checkpoints;
using StreamingFeatures.Sources.BigQuery;

namespace StreamingFeatures.Jobs;

/// <summary>The plan's next generation after an expiry, and a shard's end of its generation: compare-and-set changes.</summary>
public sealed partial class MigrationJob
{
    /// <summary>
    /// The plan's generation after <paramref name="known"/>'s session: recorded here over its version (a session is
    /// created first; one that loses the race stays unread, which costs nothing), or adopted when another shard did.
    /// </summary>
    private async Task<ShardPlan> RenewPlanAsync(IShardPlanStore store, ShardPlan known, DateTimeOffset? expiredAt, CancellationToken cancellationToken)
    {
        while (true)
        {
            ShardPlan current = await store.LoadAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new CheckpointException($"The shard plan {store.Description} is gone: the read session cannot be renewed.");
            if (current.Session.Name != known.Session.Name)
            {
                return current;
            }

            if (current.Generation + 1 >= MaxGenerations)
            {
                throw new CheckpointException($"The read session {current.Session.Name} expired, the {MaxGenerations}th of this migration: a shard's share cannot be read within a session's life; use more shards.");
            }

            BigQuerySourceOptions options = _bigQueryOptions! with { StartOffsets = null, CompletedStreams = null, SnapshotTime = current.SnapshotTime, ShardIndex = _options.ShardIndex, ShardCount = _options.ShardCount };
            BigQueryStorageSource created = await BigQueryStorageSource.OpenAsync(_bigQueryInvoker!, options, cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = _time.GetUtcNow();
            var next = current with
            {
                Version = current.Version + 1,
                Generation = current.Generation + 1,
                Session = SessionCheckpoint(created),
                Readers = [.. current.ReaderShards.Except(current.Done)],
                Done = [],
                Renewals = [.. current.Renewals, new SessionRenewal(current.Generation + 1, current.Session.Name, expiredAt ?? current.Session.ExpireTime, created.Session.Name, Me, now)],
            };
            ShardPlan recorded = await ChangeAsync(store, current, next, cancellationToken).ConfigureAwait(false);
            if (recorded.Session.Name != known.Session.Name)
            {
                return recorded;
            }
        }
    }

    /// <summary>
    /// Records this shard done with its generation; returns the plan afterwards, which names a newer session when
    /// another shard renewed it first (this shard then reads its share of that one).
    /// </summary>
    private async Task<ShardPlan> MarkDoneAsync(IShardPlanStore store, ShardPlan known, CancellationToken cancellationToken)
    {
        while (true)
        {
            ShardPlan current = await store.LoadAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new CheckpointException($"The shard plan {store.Description} is gone.");
            if (current.Session.Name != known.Session.Name || current.Done.Contains(_options.ShardIndex))
            {
                return current;
            }

            ShardPlan next = current with { Version = current.Version + 1, Done = [.. current.Done, _options.ShardIndex] };
            ShardPlan recorded = await ChangeAsync(store, current, next, cancellationToken).ConfigureAwait(false);
            if (recorded.Version == next.Version && recorded.Done.Contains(_options.ShardIndex))
            {
                return recorded;
            }
        }
    }

    private static async Task<ShardPlan> ChangeAsync(IShardPlanStore store, ShardPlan current, ShardPlan next, CancellationToken cancellationToken)
    {
        ShardPlan recorded = await store.ReplaceAsync(current, next, cancellationToken).ConfigureAwait(false);
        return recorded.Version == current.Version && recorded.Session.Name == current.Session.Name && recorded.Done.Count == current.Done.Count
            ? throw new CheckpointException($"The shard plan {store.Description} did not take a change over version {current.Version} and still holds it (a plan recorded by an older version?): start the shards over with --restart on a new --checkpoint.")
            : recorded;
    }
}
