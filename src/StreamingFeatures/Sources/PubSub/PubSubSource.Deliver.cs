using System.Threading.Tasks.Dataflow;
using Google.Cloud.PubSub.V1;
using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Sources.PubSub;

public sealed partial class PubSubSource
{
    /// <summary>
    /// Takes a pull response's messages in: each waits for flow-control room, gets its offset and lease, and becomes
    /// a row of the stream's chunk — or a poison message, which ends the chunk. Chunks go to the graph with
    /// SendAsync, so a full graph holds the stream here. First the receipt modack (see <see cref="ConfirmReceiptAsync"/>):
    /// on an exactly-once subscription nothing goes further before it succeeded.
    /// </summary>
    private async Task DeliverAsync(StreamState state, StreamingPullResponse response, ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        ObserveSubscription(response);
        IList<ReceivedMessage> messages = response.ReceivedMessages;
        TimeSpan leaseDeadline = LeaseDeadline;
        int taken = 0;
        try
        {
            messages = await ConfirmReceiptAsync(response.ReceivedMessages, cancellationToken).ConfigureAwait(false);
            while (taken < messages.Count)
            {
                ReceivedMessage received = messages[taken];
                long bytes = received.Message.Data.Length;
                if (!_budget.TryAcquire(bytes))
                {
                    // Hand over what this stream holds first: only the graph finishing rows makes room.
                    await FlushAsync(state, target, cancellationToken).ConfigureAwait(false);
                    await _budget.AcquireAsync(bytes, cancellationToken).ConfigureAwait(false);
                }

                DateTimeOffset now = _time.GetUtcNow();
                long offset = _nextOffset[state.Partition]++;
                var lease = new Lease(received, state.Partition, offset, now, now + leaseDeadline);
                _leases.Add(lease);
                taken++;
                Interlocked.Increment(ref _received);
                _metrics.Add(_metrics.Received, 1);
                if (received.DeliveryAttempt > 1)
                {
                    _metrics.Add(_metrics.Redelivered, 1);
                }

                if (!state.Columns.TryAdd(received.Message, out DeadLetterReason reason, out string detail))
                {
                    await FlushAsync(state, target, cancellationToken).ConfigureAwait(false);
                    state.ChunkFirst = offset + 1;
                    Poison(lease, reason, detail);
                }
                else if (state.Columns.Count == state.Columns.Capacity)
                {
                    await FlushAsync(state, target, cancellationToken).ConfigureAwait(false);
                }
            }

            await FlushAsync(state, target, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (taken < messages.Count)
        {
            // Stopping (or the graph is gone) halfway through a response: the rest were never taken, hand them back.
            for (int rest = taken; rest < messages.Count; rest++)
            {
                _acks.Nack(messages[rest].AckId);
            }

            throw;
        }
    }

    /// <summary>Sends the stream's chunk to the graph; a chunk the graph did not take is nacked at once.</summary>
    private async Task FlushAsync(StreamState state, ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        int count = state.Columns.Count;
        if (count == 0)
        {
            return;
        }

        long first = state.ChunkFirst;
        var chunk = new SourceChunk(state.Partition, first, count, state.Columns.Build());
        state.ChunkFirst = first + count;
        bool accepted;
        try
        {
            accepted = await target.SendAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            NackRange(state.Partition, first, first + count);
            throw;
        }

        if (!accepted)
        {
            NackRange(state.Partition, first, first + count);
            throw new TargetClosedException();
        }
    }

    private void NackRange(int partition, long start, long end)
    {
        var leases = new List<Lease>((int)(end - start));
        _leases.RemoveRange(partition, start, end, leases);
        foreach (Lease lease in leases)
        {
            Settle(lease, ack: false);
        }
    }
}
