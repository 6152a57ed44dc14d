namespace StreamingFeatures.Sources.PubSub;

public sealed partial class PubSubSource
{
    private static readonly TimeSpan s_minLeaseTick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_afterFailedExtension = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Keeps the messages waiting in the graph leased: each is extended by the ack deadline (at least 60 s on an
    /// exactly-once subscription) when it comes within
    /// <see cref="PubSubSourceOptions.LeaseRenewalMargin"/> of lapsing (one batched ModifyAckDeadline for all that are
    /// due), until <see cref="PubSubSourceOptions.MaxTotalLeaseExtension"/> after receipt; then its lease lapses and
    /// it is given up (Pub/Sub redelivers it). Sleeps until the next lease comes due, on the injected clock.
    /// </summary>
    private async Task LeaseLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                TimeSpan wait = await RenewDueLeasesAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // The loop must not die silently: report, and the leases lapse (messages come back).
        catch (Exception e)
#pragma warning restore CA1031
        {
            Report($"Lease extension on {_options.Subscription} stopped: {e.Message}");
        }
    }

    /// <summary>One round: extends what is due, gives up what lapsed; returns how long to sleep.</summary>
    internal async Task<TimeSpan> RenewDueLeasesAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        TimeSpan margin = _options.LeaseRenewalMargin;
        TimeSpan deadline = LeaseDeadline;
        var due = new Dictionary<int, List<(Lease Lease, DateTimeOffset Previous)>>();
        int expired = 0;
        DateTimeOffset next = _leases.Scan(
            lease =>
            {
                DateTimeOffset limit = lease.ReceivedAt + _options.MaxTotalLeaseExtension;
                bool extendable = lease.Deadline < limit && now < limit;
                if (!extendable)
                {
                    if (now < lease.Deadline)
                    {
                        return lease.Deadline;
                    }

                    lease.Expired = true;
                    expired++;
                    return DateTimeOffset.MaxValue;
                }

                if (lease.Deadline - margin > now)
                {
                    return lease.Deadline - margin;
                }

                int seconds = (int)Math.Min(deadline.TotalSeconds, Math.Ceiling((limit - now).TotalSeconds));
                if (!due.TryGetValue(seconds, out List<(Lease, DateTimeOffset)>? batch))
                {
                    due[seconds] = batch = [];
                }

                batch.Add((lease, lease.Deadline));
                lease.Deadline = now + TimeSpan.FromSeconds(seconds);
                return lease.Deadline < limit ? lease.Deadline - margin : lease.Deadline;
            },
            now + deadline - margin);

        if (expired > 0)
        {
            _metrics.Add(_metrics.LeasesExpired, expired);
            Report($"{expired} messages on {_options.Subscription} waited longer than MaxTotalLeaseExtension ({_options.MaxTotalLeaseExtension}); their leases lapsed and Pub/Sub redelivers them.");
        }

        bool failures = false;
        foreach ((int seconds, List<(Lease Lease, DateTimeOffset Previous)> batch) in due)
        {
            var byId = new Dictionary<string, (Lease Lease, DateTimeOffset Previous)>(batch.Count, StringComparer.Ordinal);
            foreach ((Lease Lease, DateTimeOffset Previous) item in batch)
            {
                byId[item.Lease.AckId] = item;
            }

            await _acks.ExtendAsync([.. byId.Keys], seconds, (ackId, permanent) =>
            {
                failures = true;
                (Lease lease, DateTimeOffset previous) = byId[ackId];
                _leases.Update(() =>
                {
                    // A refused extension: for good, the lease is lost (the message comes back); else retry soon.
                    lease.Expired |= permanent;
                    lease.Deadline = previous;
                });
            }, cancellationToken).ConfigureAwait(false);
            _metrics.Add(_metrics.LeaseExtensions, batch.Count);
        }

        TimeSpan wait = next - _time.GetUtcNow();
        return failures ? s_afterFailedExtension : (wait < s_minLeaseTick ? s_minLeaseTick : wait);
    }
}
