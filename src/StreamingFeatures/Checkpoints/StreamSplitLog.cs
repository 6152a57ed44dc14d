namespace StreamingFeatures.Checkpoints;

/// <summary>
/// The split log of one read session as the shards read it: its entries by index (each written once, at an index no
/// other entry took) and each shard's latest request for work. The log alone says which stream a partition reads now,
/// which partitions a shard was given, and which shards still wait for work.
/// </summary>
internal sealed class StreamSplitLog
{
    public static readonly StreamSplitLog Empty = new(new SortedDictionary<int, StreamSplit>(), new Dictionary<int, StreamSplit.Want>());

    /// <param name="entries">Entries by index.</param>
    /// <param name="wants">Each shard's latest request for work.</param>
    /// <param name="next">The store's next free index, when <paramref name="entries"/> are only some of its entries.</param>
    public StreamSplitLog(IReadOnlyDictionary<int, StreamSplit> entries, IReadOnlyDictionary<int, StreamSplit.Want> wants, int next = 0)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(wants);
        Entries = new SortedDictionary<int, StreamSplit>((IDictionary<int, StreamSplit>)entries.ToDictionary());
        Wants = wants;
        Next = Math.Max(next, Entries.Count == 0 ? 0 : Entries.Keys.Max() + 1);
    }

    /// <summary>Entries by index, every session's.</summary>
    public SortedDictionary<int, StreamSplit> Entries { get; }

    /// <summary>Each shard's latest request for work, every session's.</summary>
    public IReadOnlyDictionary<int, StreamSplit.Want> Wants { get; }

    /// <summary>The index the next entry takes (indices are never reused, whatever the session).</summary>
    public int Next { get; }

    /// <summary>Only what belongs to <paramref name="session"/> (indices kept: they number residual partitions).</summary>
    public StreamSplitLog Of(string session) => new(
        Entries.Where(e => e.Value.Session == session).ToDictionary(),
        Wants.Where(w => w.Value.Session == session).ToDictionary(),
        Next);

    /// <summary>The residual partitions given to <paramref name="shard"/>, in the order they were given.</summary>
    public IEnumerable<StreamSplit> GivenTo(int shard) => Entries.Values.Where(e => !e.IsClose && e.Taker == shard);

    /// <summary>The stream partition <paramref name="partition"/> reads now: its latest primary, else its own stream.</summary>
    /// <param name="partition">A session stream's index, or a residual partition of this log.</param>
    /// <param name="streams">The session's streams.</param>
    /// <exception cref="CheckpointException">The partition is neither.</exception>
    public string StreamOf(int partition, IReadOnlyList<string> streams)
    {
        string? current = partition < streams.Count
            ? streams[partition]
            : Entries.Values.FirstOrDefault(e => !e.IsClose && e.ResidualPartition == partition)?.Residual;
        if (current is null)
        {
            throw new CheckpointException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Partition {partition} is neither a stream of the session ({streams.Count} streams) nor a residual stream of its split log."));
        }

        if (Entries.Values.Any(e => e.IsHandOver && e.Partition == partition))
        {
            // Reading it would read its rows a second time: its taker reads them all.
            throw new CheckpointException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Partition {partition} was handed over to another shard; its owner reads none of it."));
        }

        return Entries.Values.LastOrDefault(e => !e.IsClose && e.Partition == partition)?.Primary ?? current;
    }

    /// <summary>The partitions <paramref name="shard"/> handed over unread (it reads none of them, also after a restart).</summary>
    public IEnumerable<int> HandedOverBy(int shard) => Entries.Values.Where(e => e.IsHandOver && e.Owner == shard).Select(e => e.Partition);

    /// <summary>Whether an entry at or after the request's index answered it (a split given, or the shard's own close).</summary>
    public bool Answered(int shard) =>
        !Wants.TryGetValue(shard, out StreamSplit.Want? want) || Entries.Any(e => e.Key >= want.Seen && e.Value.Taker == shard);

    /// <summary>Shards other than <paramref name="except"/> whose request for work nothing answered yet, oldest first.</summary>
    public IReadOnlyList<int> Waiting(int except) =>
        [.. Wants.Where(w => w.Key != except && !Answered(w.Key)).OrderBy(w => w.Value.Seen).Select(w => w.Key)];

    /// <summary>
    /// Whether every shard but <paramref name="except"/> is done reading: it waits for work, or closed its request
    /// and left. A shard never heard from (not started, or killed while reading) is not.
    /// </summary>
    public bool AllIdle(int except, int shardCount) => Enumerable.Range(0, shardCount).All(s =>
        s == except || (Wants.TryGetValue(s, out StreamSplit.Want? want) && !Entries.Any(e => e.Key >= want.Seen && e.Value.Taker == s && !e.Value.IsClose)));
}
