using System.Threading.Tasks.Dataflow;
using Google.Cloud.PubSub.V1;
using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Sources.PubSub;

public sealed partial class PubSubSource
{
    /// <summary>
    /// Takes a pull response's messages in: all get their offsets and leases at once (as Google's clients lease from
    /// receipt, so a message waiting for flow-control room behind a slow Bigtable is extended, not left to lapse and
    /// come back), then each waits for room and becomes a row of the stream's chunk — or a poison message, which ends
    /// the chunk. Chunks go to the graph with
    /// SendAsync, so a full graph holds the stream here. First the receipt modack (see <see cref="ConfirmReceiptAsync"/>):
    /// on an exactly-once subscription nothing goes further before it succeeded.
    /// </summary>
    private async Task DeliverAsync(StreamState state, StreamingPullResponse response, ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        ObserveSubscription(response);
        IList<ReceivedMessage> messages = response.ReceivedMessages;
        TimeSpan leaseDeadline = LeaseDeadline;
        int taken = 0;
        Lease[] leases = [];
        try
        {
            messages = await ConfirmReceiptAsync(response.ReceivedMessages, cancellationToken).ConfigureAwait(false);
            leases = Receive(state.Partition, messages, leaseDeadline);
            while (taken < leases.Length)
            {
                Lease lease = leases[taken];
                if (!_budget.TryAcquire(lease.Bytes))
                {
                    // Hand over what this stream holds first: only the graph finishing rows makes room.
                    await FlushAsync(state, target, cancellationToken).ConfigureAwait(false);
                    await _budget.AcquireAsync(lease.Bytes, cancellationToken).ConfigureAwait(false);
                }

                lease.HoldsRoom = true;
                taken++;
                if (lease.Message.Data.Length > _options.MaxMessageBytes)
                {
                    // Refused before parsing: a huge message never becomes a row (nor a JSON document in memory).
                    await FlushAsync(state, target, cancellationToken).ConfigureAwait(false);
                    state.ChunkFirst = lease.Offset + 1;
                    Poison(lease, DeadLetterReason.RecordTooLarge, $"the message data is {lease.Message.Data.Length} bytes; the limit is {_options.MaxMessageBytes} (max record bytes)");
                }
                else if (!state.Columns.TryAdd(lease.Message, out DeadLetterReason reason, out string detail))
                {
                    await FlushAsync(state, target, cancellationToken).ConfigureAwait(false);
                    state.ChunkFirst = lease.Offset + 1;
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
            if (taken < leases.Length)
            {
                NackRange(state.Partition, leases[taken].Offset, leases[^1].Offset + 1);
            }
            else
            {
                for (int rest = taken; rest < messages.Count; rest++)
                {
                    _acks.Nack(messages[rest].AckId);
                }
            }

            throw;
        }
    }

    /// <summary>Offsets and leases for a response's messages, in order, counted as received.</summary>
    private Lease[] Receive(int partition, IList<ReceivedMessage> messages, TimeSpan leaseDeadline)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var leases = new Lease[messages.Count];
        for (int i = 0; i < leases.Length; i++)
        {
            ReceivedMessage received = messages[i];
            var lease = leases[i] = new Lease(received, partition, _nextOffset[partition]++, now, now + leaseDeadline);
            _leases.Add(lease);
            if (received.DeliveryAttempt > 1)
            {
                _metrics.Add(_metrics.Redelivered, 1);
            }
        }

        Interlocked.Add(ref _received, leases.Length);
        _metrics.Add(_metrics.Received, leases.Length);
        return leases;
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
