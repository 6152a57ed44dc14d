using Google.Cloud.BigQuery.Storage.V1;
using Grpc.Core;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// Work stealing: which partitions this shard reads (its own, then what other shards give it), and splitting the
/// stream being read when another shard asks for work.
/// </summary>
public sealed partial class BigQueryStorageSource
{
    // Past this share of a stream, what is left is not worth a split and a second reader.
    private const double MaxSplitProgress = 0.9;
    private static readonly TimeSpan SplitDeadline = TimeSpan.FromSeconds(30);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> _started = new();
    private int _reading;

    /// <summary>Work stealing between shards; null reads only this shard's own streams.</summary>
    public IStreamRebalancer? Rebalancer { get; set; }

    /// <summary>This shard's own streams, the residual ones given to it, then (stealing) what it is given while others read.</summary>
    private async IAsyncEnumerable<int> PartitionsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IEnumerable<int> known = Enumerable.Range(0, Session.Streams.Count).Where(_options.OwnsStream).Concat(Rebalancer?.GivenPartitions ?? []);
        IReadOnlyList<int> handedOver = Rebalancer?.HandedOverPartitions ?? [];
        lock (_pending)
        {
            _pending.AddRange(known.Where(p => _options.CompletedStreams?.Contains(p) != true && !handedOver.Contains(p)));
        }

        while (true)
        {
            (int? next, bool handingOver) = TakeNext();
            if (next is { } partition)
            {
                _started[partition] = true;
                yield return partition;
            }
            else if (handingOver)
            {
                // A hand-over nobody took puts its partition back: it is this shard's to read.
                await Task.Delay(HandOverPoll, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                break;
            }
        }

        if (Rebalancer is null)
        {
            await Task.CompletedTask.ConfigureAwait(false);
            yield break;
        }

        await foreach (int partition in Rebalancer.MoreWorkAsync(() => Volatile.Read(ref _reading), cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _reading);
            _started[partition] = true;
            yield return partition;
        }
    }

    /// <summary>
    /// The last check of a shard that steals work: every residual partition the split log gives it was read in this
    /// run or is complete in its checkpoint. One left unread would be rows no shard reads, with every shard exiting 0.
    /// </summary>
    /// <exception cref="BigQuerySourceException">A partition given to this shard was not read.</exception>
    private async Task CheckGivenPartitionsReadAsync(CancellationToken cancellationToken)
    {
        if (Rebalancer is null)
        {
            return;
        }

        IReadOnlyList<int> given = await Rebalancer.GivenAsync(cancellationToken).ConfigureAwait(false);
        int[] unread = [.. given.Where(p => !_started.ContainsKey(p) && _options.CompletedStreams?.Contains(p) != true)];
        if (unread.Length > 0)
        {
            throw new BigQuerySourceException(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"Shard {_options.ShardIndex} of {_options.Table} stops: the split log gives it partition(s) {string.Join(", ", unread)}, which this run did not read; rerun the shard to read them (rows written so far stay)."));
        }
    }

    private string StreamOf(int partition) => Rebalancer?.StreamOf(partition) ?? Session.Streams[partition];

    /// <summary>
    /// Splits <paramref name="stream"/> halfway between the reader's progress and its end, as the real service allows:
    /// the original stays readable, and the primary repeats its rows up to the split point, so the reader's offset
    /// carries over. The primary must hold rows past the offset (a split point at or before it would give away rows
    /// already read): then the split is recorded and the reader switches; otherwise it is abandoned, and neither
    /// split stream is ever read. What the server had already sent on <paramref name="original"/> is kept when the
    /// primary holds rows past it too (it is the primary's head), so a switch serves none of it again.
    /// </summary>
    /// <returns>How to read on (the original or the primary, with responses already received); null: as before.</returns>
    private async Task<SplitOutcome?> TrySplitAsync(int partition, string stream, long offset, double progress, AsyncServerStreamingCall<ReadRowsResponse> original, CancellationToken cancellationToken)
    {
        if (Rebalancer is not { } rebalancer)
        {
            return null;
        }

        string at = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stream {partition} at offset {offset} ({progress:P0} read)");
        if (progress >= MaxSplitProgress)
        {
            rebalancer.Note($"{at} not split: past {MaxSplitProgress:P0}, what is left is not worth a second reader");
            return null;
        }

        // A split is a quick metadata call; one that stalls must not hold up the stream it would help.
        SplitReadStreamResponse split;
        try
        {
            split = await _client.SplitReadStreamAsync(
                new SplitReadStreamRequest { Name = stream, Fraction = progress + ((1 - progress) / 2) }, RoutingHeader("name", stream), _options.TimeProvider.GetUtcNow().UtcDateTime + SplitDeadline, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            // A split is an offer: refused, the stream reads on.
            rebalancer.Note($"{at} not split: SplitReadStream refused: {e.StatusCode}: {e.Status.Detail}");
            return null;
        }

        if (split.PrimaryStream is not { } primary || split.RemainderStream is not { } residual)
        {
            rebalancer.Note($"{at} not split: the service found it too small to split");
            return null;
        }

        (List<ReadRowsResponse> ahead, Task<bool> pending, bool ended) = Received(original, cancellationToken);
        var keep = new SplitOutcome(stream, original, ahead, pending, Switched: false);
        if (ended)
        {
            // Never recorded, the split streams are never read.
            rebalancer.Note($"{at} not split: the rest of the stream has already arrived");
            return keep;
        }

        long aheadRows = ahead.Sum(r => r.RowCount);
        bool kept = true;
        (AsyncServerStreamingCall<ReadRowsResponse> Call, ReadRowsResponse First)? opened = aheadRows > 0
            ? await OpenPrimaryAsync(primary.Name, offset + aheadRows, null, cancellationToken).ConfigureAwait(false)
            : null;
        if (opened is null)
        {
            // The split point comes before the end of what arrived: that is read again from the primary.
            kept = aheadRows == 0;
            opened = await OpenPrimaryAsync(primary.Name, offset, note => rebalancer.Note($"{at} split abandoned: {note}"), cancellationToken).ConfigureAwait(false);
            if (opened is null)
            {
                return keep;
            }
        }

        try
        {
            if (!await rebalancer.RecordSplitAsync(partition, stream, primary.Name, residual.Name, offset, cancellationToken).ConfigureAwait(false))
            {
                rebalancer.Note($"{at} split abandoned: no shard waits for work any more");
                opened.Value.Call.Dispose();
                return keep;
            }
        }
        catch
        {
            opened.Value.Call.Dispose();
            throw;
        }

        string received = aheadRows.ToString(System.Globalization.CultureInfo.InvariantCulture);
        rebalancer.Note(kept
            ? $"{at}: {received} rows received ahead on the original kept (the primary's head)"
            : $"{at}: {received} rows received ahead on the original are read again from the primary (the split point comes before their end)");

        // The original's call ends here: its next read, pending, fails cancelled, and nobody awaits it.
        original.Dispose();
        _ = pending.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new SplitOutcome(primary.Name, opened.Value.Call, kept ? [.. ahead, opened.Value.First] : [opened.Value.First], null, Switched: true);
    }
}
