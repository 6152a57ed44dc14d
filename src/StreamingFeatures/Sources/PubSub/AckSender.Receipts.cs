using System.Collections.Concurrent;
using System.Globalization;
using Google.Cloud.PubSub.V1;
using Grpc.Core;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// Receipt modacks: like Google's subscriber clients, every received message gets a ModifyAckDeadline at once, so
/// the server's deadline starts when the message reached us, not when it left (gRPC and proxies buffer). Without
/// exactly-once they are best effort and batched with the acks; with exactly-once the receipt is what makes the
/// ack id ours, so the pull waits for its result per id.
/// </summary>
internal sealed partial class AckSender
{
    private readonly ConcurrentQueue<(string AckId, int Seconds)> _receipts = new();

    /// <summary>Queues a best-effort receipt modack of <paramref name="seconds"/>; sent with the next batch, before acks and nacks.</summary>
    public void Receipt(string ackId, int seconds)
    {
        _receipts.Enqueue((ackId, seconds));
        Wake();
    }

    /// <summary>
    /// Sends the receipt modack of <paramref name="ackIds"/> now, in requests of at most 2,500 ids, sends the ids
    /// Pub/Sub refuses transiently again with backoff (the Pub/Sub ack pipeline: 1 s, doubling, 5 attempts in all), and
    /// returns the ids refused for good or still refused after the last attempt (null when none): on an exactly-once
    /// subscription those ack ids are no longer ours, so their messages must not be processed.
    /// </summary>
    public async Task<HashSet<string>?> ConfirmReceiptAsync(IReadOnlyList<string> ackIds, int seconds, CancellationToken cancellationToken)
    {
        HashSet<string>? refused = null;
        List<string> pending = [.. ackIds];
        int attempt = 0;
        await _receiptRetry.ExecuteAsync(
            async ct =>
            {
                attempt++;
                var retry = new List<string>();
                for (int start = 0; start < pending.Count; start += MaxIdsPerRequest)
                {
                    var request = new ModifyAckDeadlineRequest { Subscription = _subscription, AckDeadlineSeconds = seconds };
                    request.AckIds.Add(pending.GetRange(start, Math.Min(MaxIdsPerRequest, pending.Count - start)));
                    try
                    {
                        await _client.ModifyAckDeadlineAsync(request, deadline: Deadline(), cancellationToken: ct).ConfigureAwait(false);
                    }
                    catch (RpcException e) when (!ct.IsCancellationRequested)
                    {
                        int before = retry.Count;
                        refused = SortReceipts(request, AckResults.From(e), attempt, retry, refused);
                        _report(string.Create(CultureInfo.InvariantCulture, $"Receipt modack of {request.AckIds.Count} messages on {_subscription} (attempt {attempt}) failed with {e.StatusCode} ({e.Status.Detail}); {retry.Count - before} will be sent again."));
                    }
                }

                pending = retry;
                return retry.Count;
            },
            cancellationToken).ConfigureAwait(false);

        // Stopped between attempts: ids still pending are neither confirmed nor refused, so none may be delivered.
        cancellationToken.ThrowIfCancellationRequested();
        return refused;
    }

    /// <summary>Adds the ids refused transiently to <paramref name="retry"/> while attempts are left, the others to the refused set.</summary>
    private static HashSet<string>? SortReceipts(ModifyAckDeadlineRequest request, AckResults results, int attempt, List<string> retry, HashSet<string>? refused)
    {
        foreach (string ackId in request.AckIds)
        {
            if (results.FailureOf(ackId) is null)
            {
                continue;
            }

            if (results.IsTransient(ackId) && attempt < s_maxAttempts)
            {
                retry.Add(ackId);
            }
            else
            {
                (refused ??= new HashSet<string>(StringComparer.Ordinal)).Add(ackId);
            }
        }

        return refused;
    }

    /// <summary>Sends every queued best-effort receipt, before any ack or nack queued with it (a nack must come last).</summary>
    private async Task SendReceiptsAsync(CancellationToken cancellationToken)
    {
        var calls = new List<Task>(ParallelRequests);
        while (TryTakeReceipts(out ModifyAckDeadlineRequest? request))
        {
            calls.Add(SendReceiptAsync(request, cancellationToken));
            if (calls.Count == ParallelRequests)
            {
                await Task.WhenAll(calls).ConfigureAwait(false);
                calls.Clear();
            }
        }

        await Task.WhenAll(calls).ConfigureAwait(false);
    }

    /// <summary>Takes up to 2,500 queued receipts that ask for the same deadline (the first one's).</summary>
    private bool TryTakeReceipts([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModifyAckDeadlineRequest? request)
    {
        request = null;
        while (request is null || request.AckIds.Count < MaxIdsPerRequest)
        {
            // One consumer (the send gate is held), so what was peeked is what is dequeued.
            if (!_receipts.TryPeek(out (string AckId, int Seconds) next) || (request is not null && next.Seconds != request.AckDeadlineSeconds) || !_receipts.TryDequeue(out next))
            {
                break;
            }

            (request ??= new ModifyAckDeadlineRequest { Subscription = _subscription, AckDeadlineSeconds = next.Seconds }).AckIds.Add(next.AckId);
        }

        return request is not null;
    }

    private async Task SendReceiptAsync(ModifyAckDeadlineRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await _client.ModifyAckDeadlineAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Best effort, as in Google's clients without exactly-once: the lease loop extends before the deadline anyway.
            _report(string.Create(CultureInfo.InvariantCulture, $"Receipt modack of {request.AckIds.Count} messages on {_subscription} failed with {e.StatusCode} ({e.Status.Detail}); not sent again."));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
