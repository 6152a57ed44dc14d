using StreamingFeatures.Checkpoints;
using StreamingFeatures.Sources.BigQuery;

namespace StreamingFeatures.Jobs;

/// <summary>
/// Work stealing over the split log beside the shards' plan. Every change is one entry at the log's next index,
/// written only if that index is free, so the log orders them all: a request for work is answered by exactly one
/// entry (the split that gives a residual stream, or the requester's own close), never by two.
/// </summary>
internal sealed partial class StreamStealing : IStreamRebalancer
{
    private static readonly TimeSpan s_watchPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_askPoll = TimeSpan.FromMilliseconds(500);

    private readonly IShardPlanStore _store;
    private readonly string _session;
    private readonly IReadOnlyList<string> _streams;
    private readonly int _shard;
    private readonly int _shardCount;
    private readonly TimeProvider _time;
    private readonly Action<string> _warn;
    private readonly Action<string> _note;
    private StreamSplitLog _log;
    private volatile bool _someoneWaiting;

    // Off (--no-work-stealing): no requests, splits or hand-overs, but what the log gave or took from this shard in
    // earlier runs still holds, or a rerun with stealing off would read nobody's residual and exit 0.
    private readonly bool _active;
    private long _nextAttempt;

    // Residual partitions this run has read or is reading: any other one the log gives this shard is still work.
    private readonly HashSet<int> _taken;

    private StreamStealing(IShardPlanStore store, BigQueryReadSessionInfo session, int shard, int shardCount, StreamSplitLog log, TimeProvider time, Action<string> warn, Action<string> note, bool active)
    {
        _active = active;
        _note = note;
        _store = store;
        _session = session.Name;
        _streams = session.Streams;
        _shard = shard;
        _shardCount = shardCount;
        _time = time;
        _warn = warn;
        _log = log;
        GivenPartitions = [.. log.GivenTo(shard).Select(e => e.ResidualPartition)];
        HandedOverPartitions = [.. log.HandedOverBy(shard)];
        _taken = [.. GivenPartitions];
    }

    /// <summary>How long a shard waits for work while a shard it has not heard from might still read (killed, or not started).</summary>
    public static TimeSpan WaitForWork { get; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<int> GivenPartitions { get; }

    public IReadOnlyList<int> HandedOverPartitions { get; }

    /// <summary>The split log as this shard last read it (this session's entries only).</summary>
    public StreamSplitLog Log => Volatile.Read(ref _log);

    /// <exception cref="CheckpointException">The store cannot be read.</exception>
    /// <summary>Reads the split log for <paramref name="shard"/>; with <paramref name="active"/> false this run only honours it (reads what it was given, not what it handed over).</summary>
    public static async Task<StreamStealing> LoadAsync(IShardPlanStore store, BigQueryReadSessionInfo session, int shard, int shardCount, TimeProvider time, Action<string> warn, Action<string> note, CancellationToken cancellationToken, bool active = true)
    {
        StreamSplitLog log = await store.LoadSplitsAsync(cancellationToken).ConfigureAwait(false);
        return new StreamStealing(store, session, shard, shardCount, log.Of(session.Name), time, warn, note, active);
    }

    public void Note(string outcome) => _note("work stealing: " + outcome);

    public string StreamOf(int partition) => Log.StreamOf(partition, _streams);

    /// <summary>
    /// Keeps <paramref name="log"/> unless a newer one is kept already: the watcher and the request for work load
    /// the log concurrently, and an older copy must never hide a split just given to this shard.
    /// </summary>
    private void Publish(StreamSplitLog log)
    {
        StreamSplitLog kept = Volatile.Read(ref _log);
        while (log.Next >= kept.Next)
        {
            StreamSplitLog seen = Interlocked.CompareExchange(ref _log, log, kept);
            if (ReferenceEquals(seen, kept))
            {
                return;
            }

            kept = seen;
        }
    }

    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        bool warned = false;
        while (_active && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(s_watchPoll, _time, cancellationToken).ConfigureAwait(false);
            try
            {
                StreamSplitLog log = (await _store.LoadSplitsAsync(cancellationToken).ConfigureAwait(false)).Of(_session);
                Publish(log);
                _someoneWaiting = log.Waiting(_shard).Count > 0;
            }
            catch (CheckpointException e) when (!warned && !cancellationToken.IsCancellationRequested)
            {
                // Stealing is an optimisation: this shard reads on; only splits are off while the store is away.
                warned = true;
                _warn($"work stealing: {e.Message}");
            }
            catch (CheckpointException)
            {
            }
        }
    }

    public bool SplitWanted()
    {
        if (!_active || !_someoneWaiting)
        {
            return false;
        }

        long now = _time.GetTimestamp();
        long next = Interlocked.Read(ref _nextAttempt);
        return now >= next && Interlocked.CompareExchange(ref _nextAttempt, now + _time.TimestampFrequency, next) == next;
    }
}
