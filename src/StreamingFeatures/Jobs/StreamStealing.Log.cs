using System.Runtime.CompilerServices;
using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Jobs;

/// <summary>Writing the split log: a split that gives a residual stream away, a request for work and its close.</summary>
internal sealed partial class StreamStealing
{
    // A few lost races in a row mean other owners answer the requests: leave them to it.
    private const int MaxRecordAttempts = 5;

    public async Task<bool> RecordSplitAsync(int partition, string original, string? primary, string residual, long offset, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < MaxRecordAttempts; attempt++)
        {
            StreamSplitLog all = await _store.LoadSplitsAsync(cancellationToken).ConfigureAwait(false);
            StreamSplitLog log = all.Of(_session);
            Publish(log);
            IReadOnlyList<int> waiting = log.Waiting(_shard);
            _someoneWaiting = waiting.Count > 0;
            if (waiting.Count == 0)
            {
                return false;
            }

            var entry = new StreamSplit
            {
                Session = _session,
                Taker = waiting[0],
                Owner = _shard,
                Partition = partition,
                Original = original,
                Primary = primary,
                Residual = residual,
                ResidualPartition = _streams.Count + all.Next,
                OwnerOffset = offset,
                At = _time.GetUtcNow(),
            };

            // A failure here leaves it unknown whether the split counts: the exception stops the job, whose rerun reads the log.
            if (await _store.TryAddSplitAsync(all.Next, entry, cancellationToken).ConfigureAwait(false))
            {
                var entries = new Dictionary<int, StreamSplit>(log.Entries) { [all.Next] = entry };
                Publish(new StreamSplitLog(entries, log.Wants, all.Next + 1));
                Note(entry.IsHandOver
                    ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stream {partition} handed over unread: it is partition {entry.ResidualPartition}, given to shard {entry.Taker}")
                    : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stream {partition} split at offset {offset}: its tail is partition {entry.ResidualPartition}, given to shard {entry.Taker}"));
                return true;
            }
        }

        return false;
    }

    public async IAsyncEnumerable<int> MoreWorkAsync(Func<int> reading, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            while (reading() > 0)
            {
                await Task.Delay(s_askPoll, _time, cancellationToken).ConfigureAwait(false);
            }

            StreamSplitLog all = await _store.LoadSplitsAsync(cancellationToken).ConfigureAwait(false);
            // A split may have answered a request of an earlier run of this shard (killed while it waited) after
            // this run loaded the log: that residual is this shard's to read, at whatever index it stands.
            Publish(all.Of(_session));
            if (Unread(all.Of(_session)) is { } late)
            {
                _taken.Add(late.ResidualPartition);
                yield return late.ResidualPartition;
                continue;
            }

            if (!_active)
            {
                yield break;
            }

            int seen = all.Next;
            await _store.WantWorkAsync(_shard, new StreamSplit.Want(_session, seen), cancellationToken).ConfigureAwait(false);
            long asked = _time.GetTimestamp();
            StreamSplit? given = null;
            while (given is null)
            {
                await Task.Delay(s_askPoll, _time, cancellationToken).ConfigureAwait(false);
                all = await _store.LoadSplitsAsync(cancellationToken).ConfigureAwait(false);
                StreamSplitLog log = all.Of(_session);
                Publish(log);
                given = Unread(log);
                bool idle = given is null && log.AllIdle(_shard, _shardCount);
                if (given is null && (idle || _time.GetElapsedTime(asked) >= WaitForWork))
                {
                    // Closed at the next index, the request can be answered by no split any more; if another
                    // entry took that index first it may be a split for this shard: look again.
                    var close = new StreamSplit { Session = _session, Taker = _shard, At = _time.GetUtcNow() };
                    if (await _store.TryAddSplitAsync(all.Next, close, cancellationToken).ConfigureAwait(false))
                    {
                        Note(idle ? "no work left to take: every other shard is done reading" : $"no work given within {WaitForWork.TotalSeconds:0} s of asking: request closed");
                        yield break;
                    }
                }
            }

            _taken.Add(given.ResidualPartition);
            yield return given.ResidualPartition;
        }
    }

    public async Task<IReadOnlyList<int>> GivenAsync(CancellationToken cancellationToken)
    {
        StreamSplitLog log = (await _store.LoadSplitsAsync(cancellationToken).ConfigureAwait(false)).Of(_session);
        Publish(log);
        // One given and then handed over unread is its new taker's.
        return [.. log.GivenTo(_shard).Select(e => e.ResidualPartition).Except(log.HandedOverBy(_shard))];
    }

    private StreamSplit? Unread(StreamSplitLog log) => log.GivenTo(_shard).OrderBy(e => e.ResidualPartition).FirstOrDefault(e => !_taken.Contains(e.ResidualPartition));
}
