namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// Work stealing between the shards of one read session (Beam's dynamic work rebalancing, done by the readers): a
/// shard that read all its streams asks for work; a shard still reading splits its current stream with
/// SplitReadStream, records the split (primary kept, residual given away) and goes on reading the primary.
/// </summary>
public interface IStreamRebalancer
{
    /// <summary>The stream partition <paramref name="partition"/> reads now: its latest primary after splits, else its own.</summary>
    string StreamOf(int partition);

    /// <summary>Residual partitions earlier splits gave this shard (read after its own streams).</summary>
    IReadOnlyList<int> GivenPartitions { get; }

    /// <summary>This shard's partitions earlier runs handed over unread (never read by this shard).</summary>
    IReadOnlyList<int> HandedOverPartitions { get; }

    /// <summary>
    /// Once nothing is being read (<paramref name="reading"/> is 0), asks the other shards for work and yields each
    /// residual partition a split gives this shard; ends when no shard has work left to give.
    /// </summary>
    IAsyncEnumerable<int> MoreWorkAsync(Func<int> reading, CancellationToken cancellationToken);

    /// <summary>Every residual partition the split log gives this shard and it did not hand over, read from the store now (the shard's last check that it left none unread).</summary>
    Task<IReadOnlyList<int>> GivenAsync(CancellationToken cancellationToken);

    /// <summary>Polls for requests of other shards until cancelled (at most one read of the store a second).</summary>
    Task WatchAsync(CancellationToken cancellationToken);

    /// <summary>Says what became of an offer to split (why not, or to whom), so a run shows why stealing did or did not engage.</summary>
    void Note(string outcome);

    /// <summary>Cheap: whether a reader should try to split its stream now (true for one reader at a time, at most once a second).</summary>
    bool SplitWanted();

    /// <summary>
    /// Records that the stream of <paramref name="partition"/> was split at the reader's <paramref name="offset"/>:
    /// the reader goes on with <paramref name="primary"/>, a waiting shard gets <paramref name="residual"/>. A null
    /// primary hands an unstarted partition over whole (<paramref name="residual"/> is its stream, read from its start).
    /// </summary>
    /// <returns>False when no shard wants it any more: the reader keeps its stream and never reads the split ones.</returns>
    Task<bool> RecordSplitAsync(int partition, string original, string? primary, string residual, long offset, CancellationToken cancellationToken);
}
