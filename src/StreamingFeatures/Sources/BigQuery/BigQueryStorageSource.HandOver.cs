namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// Work stealing without a split: a request for work is answered first with a partition this shard has not started,
/// handed over whole. A split switches the reader to the primary, dropping what the server had already sent on the
/// original call (read again from the primary); a hand-over drops nothing.
/// </summary>
public sealed partial class BigQueryStorageSource
{
    private static readonly TimeSpan HandOverPoll = TimeSpan.FromMilliseconds(50);

    // Partitions of this shard no reader started yet, in reading order; guarded by itself, as is _handingOver.
    private readonly List<int> _pending = [];
    private IReadOnlyDictionary<int, long>? _startOffsets;
    private int _handingOver;

    /// <summary>
    /// The next partition to read, counted as being read before a reader takes it (the shard is not idle in between);
    /// when none, whether a hand-over in flight may still put one back.
    /// </summary>
    private (int? Partition, bool HandingOver) TakeNext()
    {
        lock (_pending)
        {
            if (_pending.Count == 0)
            {
                return (null, _handingOver > 0);
            }

            int partition = _pending[0];
            _pending.RemoveAt(0);
            Interlocked.Increment(ref _reading);
            return (partition, false);
        }
    }

    /// <summary>
    /// Answers a request for work with the last partition this shard has not started, whole, if no earlier run read
    /// any of it (a residual read from its start would read those rows again).
    /// </summary>
    /// <returns>Whether a partition was handed over; null when none can be (split the stream being read instead).</returns>
    private async Task<bool?> TryHandOverAsync(IStreamRebalancer rebalancer, CancellationToken cancellationToken)
    {
        int partition;
        lock (_pending)
        {
            int at = _pending.FindLastIndex(p => (_startOffsets?.GetValueOrDefault(p) ?? 0) == 0);
            if (at < 0)
            {
                return null;
            }

            partition = _pending[at];
            _pending.RemoveAt(at);
            _handingOver++;
        }

        bool handed = false;
        try
        {
            string stream = StreamOf(partition);
            handed = await rebalancer.RecordSplitAsync(partition, stream, null, stream, 0, cancellationToken).ConfigureAwait(false);
            return handed;
        }
        finally
        {
            lock (_pending)
            {
                if (!handed)
                {
                    // Nobody wants it any more (or the log could not say): this shard reads it after all.
                    _pending.Add(partition);
                }

                _handingOver--;
            }
        }
    }
}
