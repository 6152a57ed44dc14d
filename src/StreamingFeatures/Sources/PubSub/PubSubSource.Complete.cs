using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Sources.PubSub;

public sealed partial class PubSubSource
{
    /// <summary>
    /// Acks the messages whose rows are done (or nacks those whose dead-letter publish failed). Never blocks: the
    /// ids are queued for the ack sender.
    /// </summary>
    public void Complete(IReadOnlyList<SourceRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var done = new List<Lease>();
        foreach (SourceRange range in ranges)
        {
            _leases.RemoveRange(range.Partition, range.Start, range.End, done);
        }

        foreach (Lease lease in done)
        {
            Settle(lease, ack: !lease.NackOnComplete);
        }
    }

    /// <summary>
    /// After the pipeline has finished: sends the acks still queued, nacks every message not done (so Pub/Sub
    /// redelivers it at once), and waits for both within <paramref name="timeout"/>. What does not make it in time
    /// is redelivered after its ack deadline (nothing is lost); that is reported, not thrown.
    /// </summary>
    public async Task CloseAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(timeout, _time);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        await _pulling.CancelAsync().ConfigureAwait(false);
        try
        {
            // Poison messages already taken publish first, so they are acked rather than nacked and redelivered.
            _poison.Writer.TryComplete();
            await _poisonLoop.WaitAsync(limit.Token).ConfigureAwait(false);
            await _leasing.CancelAsync().ConfigureAwait(false);
            foreach (Lease lease in _leases.RemoveAll())
            {
                Settle(lease, ack: false);
            }

            await _acks.FlushAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            foreach (Lease lease in _leases.RemoveAll())
            {
                Settle(lease, ack: false);
            }

            Report($"Closing {_options.Subscription}: {_acks.Queued} acks and nacks were not sent within {timeout}; those messages are redelivered after their ack deadline.");
        }
        finally
        {
            await _leasing.CancelAsync().ConfigureAwait(false);
            await _background.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_ackLoop, _leaseLoop, _poisonLoop.ContinueWith(_ => { }, TaskScheduler.Default)).ConfigureAwait(false);
        }
    }

    /// <summary>Closes with a short timeout if <see cref="CloseAsync"/> was not called; idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Disposing must not throw; what went wrong is reported.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Report($"Closing {_options.Subscription} while disposing failed: {e.Message}");
        }

        _pulling.Dispose();
        _leasing.Dispose();
        _background.Dispose();
    }

    /// <summary>Acks or nacks a message whose lease was taken out of the table, and gives its flow-control room back.</summary>
    private void Settle(Lease lease, bool ack)
    {
        // An expired lease's message is already on its way back from Pub/Sub: neither ack nor nack it.
        if (!lease.Expired)
        {
            if (ack)
            {
                _acks.Ack(lease.AckId, lease.Poison ? null : lease.PublishTime);
            }
            else
            {
                _acks.Nack(lease.AckId);
            }
        }

        if (lease.HoldsRoom)
        {
            _budget.Release(lease.Bytes);
        }
    }
}
