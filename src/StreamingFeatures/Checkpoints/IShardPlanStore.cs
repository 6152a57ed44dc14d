namespace StreamingFeatures.Checkpoints;

/// <summary>
/// Where the shards of one migration find their shared read session: a place every shard reaches (a row of a Bigtable
/// table, a file on a volume every shard mounts). Creating the plan is claimed first, atomically, so two shards
/// starting together never both create a session.
/// </summary>
internal interface IShardPlanStore
{
    /// <summary>For messages: the file path or the Bigtable table and row.</summary>
    string Description { get; }

    /// <summary>
    /// Claims the creation of the plan for <paramref name="claimant"/> unless someone holds it; returns the holder
    /// (<paramref name="claimant"/> when this call won, or when it had won before).
    /// </summary>
    /// <exception cref="CheckpointException">The store cannot be reached.</exception>
    Task<string> ClaimAsync(string claimant, CancellationToken cancellationToken);

    /// <returns>The plan recorded, or null while there is none.</returns>
    /// <exception cref="CheckpointException">It exists but cannot be read.</exception>
    Task<ShardPlan?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records the plan unless one is recorded already, and returns the one recorded: should two processes both hold
    /// the claim (the same shard started twice), the first plan saved stays the only one, and the other process
    /// reads its session instead of its own.
    /// </summary>
    /// <exception cref="CheckpointException">The store refused it.</exception>
    Task<ShardPlan> SaveAsync(ShardPlan plan, CancellationToken cancellationToken);

    /// <summary>The split log beside the plan: every entry and every shard's latest request for work (all sessions').</summary>
    /// <exception cref="CheckpointException">The store cannot be read.</exception>
    Task<StreamSplitLog> LoadSplitsAsync(CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="entry"/> at <paramref name="index"/> unless an entry is there already (then false).</summary>
    /// <exception cref="CheckpointException">The store refused it.</exception>
    Task<bool> TryAddSplitAsync(int index, StreamSplit entry, CancellationToken cancellationToken);

    /// <summary>Records (replacing its earlier one) shard <paramref name="shard"/>'s request for work.</summary>
    /// <exception cref="CheckpointException">The store refused it.</exception>
    Task WantWorkAsync(int shard, StreamSplit.Want want, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces <paramref name="current"/> by <paramref name="next"/> only if the store still holds
    /// <paramref name="current"/>'s <see cref="ShardPlan.Version"/> (a compare-and-set), and returns the plan held
    /// afterwards: <paramref name="next"/> when it applied, else what another shard recorded first.
    /// </summary>
    /// <exception cref="CheckpointException">The store cannot be reached, or holds no plan.</exception>
    Task<ShardPlan> ReplaceAsync(ShardPlan current, ShardPlan next, CancellationToken cancellationToken);

    /// <summary>Records that the claim's holder could not create the session, for the shards waiting on it.</summary>
    /// <exception cref="CheckpointException">The store cannot be reached.</exception>
    Task FailAsync(ShardPlanFailure failure, CancellationToken cancellationToken);

    /// <returns>The holder's failure, or null while none is recorded.</returns>
    /// <exception cref="CheckpointException">The store cannot be reached.</exception>
    Task<ShardPlanFailure?> LoadFailureAsync(CancellationToken cancellationToken);

    /// <summary>Forgets a recorded failure: the holder runs again and tries again.</summary>
    /// <exception cref="CheckpointException">The store cannot be reached.</exception>
    Task ClearFailureAsync(CancellationToken cancellationToken);
}
