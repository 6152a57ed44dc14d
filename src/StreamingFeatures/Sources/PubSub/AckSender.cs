using System.Collections.Concurrent;
using Google.Cloud.PubSub.V1;
using Polly;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// Sends acks and nacks in the background, as unary calls batched up to 2,500 ids, at least every 100 ms: queuing
/// never blocks (the graph's completion callback queues). Ids Pub/Sub refuses transiently (a retryable code, or
/// <c>TRANSIENT_FAILURE_*</c> on an exactly-once subscription) are sent again with backoff, a few times
/// (<see cref="CallRetryOptions.PubSubAck"/>); ids it
/// refuses for good are counted and reported — their messages are redelivered, never lost. Best-effort receipt
/// modacks go out in the same rounds, first (see AckSender.Receipts.cs).
/// </summary>
internal sealed partial class AckSender
{
    public const int MaxIdsPerRequest = 2_500;

    private const int ParallelRequests = 4;
    private static readonly TimeSpan s_flushInterval = TimeSpan.FromMilliseconds(100);
    private static readonly CallRetryOptions s_retry = CallRetryOptions.PubSubAck;
    private static readonly int s_maxAttempts = s_retry.MaxAttempts ?? int.MaxValue;

    private readonly Subscriber.SubscriberClient _client;
    private readonly string _subscription;
    private readonly TimeProvider _time;
    private readonly PubSubMetrics _metrics;
    private readonly FreshnessRecorder _freshness;
    private readonly Action<string> _report;
    private readonly ConcurrentQueue<Pending> _acks = new();
    private readonly ConcurrentQueue<Pending> _nacks = new();
    private readonly ConcurrentDictionary<Task, byte> _retries = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly ResiliencePipeline<int> _receiptRetry;
    private TaskCompletionSource _wake = NewWake();
    private long _acked;
    private long _nacked;
    private long _refused;

    /// <summary>Creates the sender; <paramref name="report"/> is told of every failure worth a log line.</summary>
    public AckSender(Subscriber.SubscriberClient client, string subscription, TimeProvider time, PubSubMetrics metrics, FreshnessRecorder freshness, Action<string> report)
    {
        _client = client;
        _subscription = subscription;
        _time = time;
        _metrics = metrics;
        _freshness = freshness;
        _report = report;
        _receiptRetry = AckRetry.Create(s_retry, time);
    }

    public long Acked => Interlocked.Read(ref _acked);

    public long Nacked => Interlocked.Read(ref _nacked);

    /// <summary>Acks and nacks Pub/Sub refused for good (their messages come back).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Ids queued and not yet sent (retries waiting included).</summary>
    public int Queued => _acks.Count + _nacks.Count + _receipts.Count + _retries.Count;

    /// <summary>Queues an ack; <paramref name="publishTime"/>, when given, goes to the freshness figures once it lands.</summary>
    public void Ack(string ackId, DateTimeOffset? publishTime)
    {
        _acks.Enqueue(new Pending(ackId, publishTime, 1));
        Wake();
    }

    public void Nack(string ackId)
    {
        _nacks.Enqueue(new Pending(ackId, null, 1));
        Wake();
    }

    /// <summary>Sends what is queued every 100 ms (at once past a full request) until <paramref name="stop"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                TaskCompletionSource wake = Volatile.Read(ref _wake);
                if (_acks.IsEmpty && _nacks.IsEmpty && _receipts.IsEmpty)
                {
                    await wake.Task.WaitAsync(stop).ConfigureAwait(false);
                    Interlocked.CompareExchange(ref _wake, NewWake(), wake);
                    continue;
                }

                if (_acks.Count < MaxIdsPerRequest && _nacks.Count < MaxIdsPerRequest && _receipts.Count < MaxIdsPerRequest)
                {
                    await Task.Delay(s_flushInterval, _time, stop).ConfigureAwait(false);
                }

                await SendQueuedAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Closing: FlushAsync sends the rest.
        }
    }

    /// <summary>Sends everything queued now, and again after each retry comes due, until nothing is left.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await SendQueuedAsync(cancellationToken).ConfigureAwait(false);
            Task[] retries = [.. _retries.Keys];
            if (retries.Length == 0 && _acks.IsEmpty && _nacks.IsEmpty && _receipts.IsEmpty)
            {
                return;
            }

            if (retries.Length > 0)
            {
                await Task.WhenAny(retries).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    private async Task SendQueuedAsync(CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendReceiptsAsync(cancellationToken).ConfigureAwait(false);
            var calls = new List<Task>(ParallelRequests);
            while (TryTakeBatch(out List<Pending>? batch, out bool ack))
            {
                calls.Add(SendAsync(batch, ack, cancellationToken));
                if (calls.Count == ParallelRequests)
                {
                    await Task.WhenAll(calls).ConfigureAwait(false);
                    calls.Clear();
                }
            }

            await Task.WhenAll(calls).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private bool TryTakeBatch([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out List<Pending>? batch, out bool ack)
    {
        ack = !_acks.IsEmpty;
        ConcurrentQueue<Pending> queue = ack ? _acks : _nacks;
        batch = null;
        while (batch is null || batch.Count < MaxIdsPerRequest)
        {
            if (!queue.TryDequeue(out Pending item))
            {
                break;
            }

            (batch ??= new List<Pending>(Math.Min(MaxIdsPerRequest, queue.Count + 1))).Add(item);
        }

        return batch is not null;
    }

    private readonly record struct Pending(string AckId, DateTimeOffset? PublishTime, int Attempt);
}
