using Google.Cloud.PubSub.V1;
using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Sources.PubSub;

public sealed partial class PubSubSource
{
    private static readonly TimeSpan s_poisonLogInterval = TimeSpan.FromSeconds(10);
    private long _poisonNacked;
    private DateTimeOffset _lastPoisonLog = DateTimeOffset.MinValue;

    /// <summary>
    /// A message that cannot become a row: to the dead-letter topic (then acked, or nacked if that fails), or, with
    /// no topic, nacked and counted so nothing is lost (the subscription's own dead-letter policy can take it).
    /// </summary>
    private void Poison(Lease lease, DeadLetterReason reason, string detail)
    {
        _metrics.AddPoison(reason);
        if (_publisher is null)
        {
            if (_leases.Remove(lease.Partition, lease.Offset) is { } held)
            {
                Settle(held, ack: false);
            }

            NotePoisonNacked(lease.Message.MessageId, reason, detail);
            return;
        }

        _leases.Update(() => lease.Poison = true);
        _poison.Writer.TryWrite(new PoisonMessage(lease, reason, detail));
    }

    private void NotePoisonNacked(string messageId, DeadLetterReason reason, string detail)
    {
        long count = Interlocked.Increment(ref _poisonNacked);
        DateTimeOffset now = _time.GetUtcNow();
        if (now - _lastPoisonLog < s_poisonLogInterval)
        {
            return;
        }

        _lastPoisonLog = now;
        Report($"Poison message {messageId} on {_options.Subscription} ({reason}: {detail}) was nacked: no DeadLetterTopic is set, so it comes back until the subscription's dead-letter policy takes it; {count} nacked so far.");
    }

    /// <summary>Publishes poison messages in batches as they come, then acks what was published and nacks the rest.</summary>
    private async Task DeadLetterLoopAsync(CancellationToken cancellationToken)
    {
        var batch = new List<PoisonMessage>();
        var messages = new List<PubsubMessage>();
        try
        {
            while (await _poison.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                long bytes = 0;
                while (batch.Count < DeadLetterPublisher.MaxRequestMessages && bytes < DeadLetterPublisher.MaxRequestBytes / 2 && _poison.Reader.TryRead(out PoisonMessage? poison))
                {
                    batch.Add(poison);
                    messages.Add(_publisher!.ToDeadLetter(poison.Lease.Message, poison.Reason, poison.Detail));
                    bytes += messages[^1].CalculateSize();
                }

                string? error = await _publisher!.PublishAsync(messages, cancellationToken).ConfigureAwait(false);
                if (error is not null)
                {
                    _metrics.Add(_metrics.DeadLetterPublishFailures, batch.Count);
                    Report($"Dead letters: {error}; the {batch.Count} poison messages are nacked (redelivered), not acked.");
                }
                else
                {
                    foreach (PoisonMessage poison in batch)
                    {
                        _metrics.AddDeadLetter(poison.Reason, poison: true);
                    }
                }

                foreach (PoisonMessage poison in batch)
                {
                    if (_leases.Remove(poison.Lease.Partition, poison.Lease.Offset) is { } held)
                    {
                        Settle(held, ack: error is null);
                    }
                }

                batch.Clear();
                messages.Clear();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Closing: what is left is nacked with every other outstanding message.
        }
    }

    /// <summary>
    /// The graph's dead letters (key too long, value too large, a write refused for good): published like poison
    /// messages, found by partition and offset; when that fails the message is marked so its completion nacks it.
    /// </summary>
    private async ValueTask WriteDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        if (_leases.Find(deadLetter.Partition, deadLetter.Offset) is not { } lease)
        {
            return; // Already given up (lease lapsed, or closing): Pub/Sub redelivers it.
        }

        _metrics.AddPoison(deadLetter.Reason);
        if (_publisher is null)
        {
            lease.NackOnComplete = true;
            NotePoisonNacked(lease.Message.MessageId, deadLetter.Reason, deadLetter.Message);
            return;
        }

        string? error = await _publisher.PublishAsync([_publisher.ToDeadLetter(lease.Message, deadLetter.Reason, deadLetter.Message)], cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            lease.NackOnComplete = true;
            _metrics.Add(_metrics.DeadLetterPublishFailures, 1);
            Report($"Dead letter of message {lease.Message.MessageId}: {error}; the message is nacked (redelivered), not acked.");
        }
        else
        {
            _metrics.AddDeadLetter(deadLetter.Reason, poison: false);
        }
    }

    private sealed record PoisonMessage(Lease Lease, DeadLetterReason Reason, string Detail);

    private sealed class SinkToTopic(PubSubSource source) : IDeadLetterSink
    {
        public ValueTask WriteAsync(DeadLetter deadLetter, CancellationToken cancellationToken) => source.WriteDeadLetterAsync(deadLetter, cancellationToken);
    }
}
