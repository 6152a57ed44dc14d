using System.Globalization;
using Google.Cloud.PubSub.V1;
using Grpc.Core;

namespace StreamingFeatures.Sources.PubSub;

internal sealed partial class AckSender
{
    /// <summary>
    /// Extends the leases of <paramref name="ackIds"/> to <paramref name="seconds"/> from now, in requests of at
    /// most 2,500 ids; tells <paramref name="failed"/> of each id Pub/Sub refused (and whether for good). No retry
    /// here: the lease loop comes back to a lease whose extension did not land.
    /// </summary>
    public async Task ExtendAsync(IReadOnlyList<string> ackIds, int seconds, Action<string, bool> failed, CancellationToken cancellationToken)
    {
        for (int start = 0; start < ackIds.Count; start += MaxIdsPerRequest)
        {
            var request = new ModifyAckDeadlineRequest { Subscription = _subscription, AckDeadlineSeconds = seconds };
            for (int i = start; i < Math.Min(ackIds.Count, start + MaxIdsPerRequest); i++)
            {
                request.AckIds.Add(ackIds[i]);
            }

            try
            {
                await _client.ModifyAckDeadlineAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                AckResults results = AckResults.From(e);
                int refused = 0;
                foreach (string ackId in request.AckIds)
                {
                    if (results.FailureOf(ackId) is not null)
                    {
                        bool permanent = !results.IsTransient(ackId);
                        refused += permanent ? 1 : 0;
                        failed(ackId, permanent);
                    }
                }

                _metrics.Add(_metrics.AckFailures, refused, "operation", "extend");
                _report(string.Create(CultureInfo.InvariantCulture, $"Extending {request.AckIds.Count} leases on {_subscription} failed with {e.StatusCode} ({e.Status.Detail}); {refused} refused for good."));
            }
        }
    }

    // gRPC deadlines are wall-clock by nature (the server keeps real time), unlike the source's own timing.
    private DateTime Deadline() => _time.GetUtcNow().UtcDateTime + s_callTimeout;

    private async Task SendAsync(List<Pending> batch, bool ack, CancellationToken cancellationToken)
    {
        try
        {
            if (ack)
            {
                var request = new AcknowledgeRequest { Subscription = _subscription };
                foreach (Pending item in batch)
                {
                    request.AckIds.Add(item.AckId);
                }

                await _client.AcknowledgeAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var request = new ModifyAckDeadlineRequest { Subscription = _subscription, AckDeadlineSeconds = 0 };
                foreach (Pending item in batch)
                {
                    request.AckIds.Add(item.AckId);
                }

                await _client.ModifyAckDeadlineAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            Landed(batch, ack, batch.Count);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            Sort(batch, ack, AckResults.From(e), e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Closing ran out of time: these messages are redelivered after their deadline.
        }
    }

    /// <summary>Splits a failed batch into landed, retried and refused ids, as Google's exactly-once clients do.</summary>
    private void Sort(List<Pending> batch, bool ack, AckResults results, RpcException e)
    {
        var landed = new List<Pending>();
        var retry = new List<Pending>();
        int refused = 0;
        foreach (Pending item in batch)
        {
            if (results.FailureOf(item.AckId) is null)
            {
                landed.Add(item);
            }
            else if (results.IsTransient(item.AckId) && item.Attempt < MaxAttempts)
            {
                retry.Add(item with { Attempt = item.Attempt + 1 });
            }
            else
            {
                refused++;
            }
        }

        Landed(landed, ack, landed.Count);
        string operation = ack ? "ack" : "nack";
        if (refused > 0)
        {
            Interlocked.Add(ref _refused, refused);
            _metrics.Add(_metrics.AckFailures, refused, "operation", operation);
        }

        _report(string.Create(
            CultureInfo.InvariantCulture,
            $"Sending {batch.Count} {operation}s on {_subscription} failed with {e.StatusCode} ({e.Status.Detail}): {landed.Count} landed, {retry.Count} will be sent again, {refused} were refused for good (Pub/Sub redelivers those messages)."));
        if (retry.Count > 0)
        {
            ScheduleRetry(retry, ack);
        }
    }

    private void ScheduleRetry(List<Pending> retry, bool ack)
    {
        TimeSpan delay = s_firstRetry * (1 << Math.Min(retry[0].Attempt - 2, 5));
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _retries.TryAdd(done.Task, 0);
        _ = Task.Delay(delay, _time).ContinueWith(
            _ =>
            {
                foreach (Pending item in retry)
                {
                    (ack ? _acks : _nacks).Enqueue(item);
                }

                _retries.TryRemove(done.Task, out byte _);
                done.TrySetResult();
                Wake();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Landed(List<Pending> items, bool ack, int count)
    {
        if (count == 0)
        {
            return;
        }

        if (!ack)
        {
            Interlocked.Add(ref _nacked, count);
            _metrics.Add(_metrics.Nacked, count);
            return;
        }

        Interlocked.Add(ref _acked, count);
        _metrics.Add(_metrics.Acked, count);
        DateTimeOffset now = _time.GetUtcNow();
        foreach (Pending item in items)
        {
            if (item.PublishTime is { } published)
            {
                TimeSpan latency = now - published;
                _freshness.Record(latency);
                _metrics.RecordFreshness(latency);
            }
        }
    }
}
