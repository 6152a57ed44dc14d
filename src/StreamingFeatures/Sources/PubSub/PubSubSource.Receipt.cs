using System.Globalization;
using Google.Cloud.PubSub.V1;
using Google.Protobuf.Collections;

namespace StreamingFeatures.Sources.PubSub;

public sealed partial class PubSubSource
{
    /// <summary>
    /// The least lease Google's clients give on an exactly-once subscription (python-pubsub
    /// <c>_MIN_ACK_DEADLINE_SECS_WHEN_EXACTLY_ONCE_ENABLED</c>, java-pubsub
    /// <c>DEFAULT_MIN_ACK_DEADLINE_EXTENSION_EXACTLY_ONCE_DELIVERY</c>): there an expired ack id cannot be acked any more.
    /// </summary>
    private static readonly TimeSpan s_exactlyOnceMinDeadline = TimeSpan.FromSeconds(60);

    private int _exactlyOnce;

    /// <summary>Whether the subscription delivers exactly once, as the last StreamingPull response said (it can change).</summary>
    internal bool ExactlyOnce => Volatile.Read(ref _exactlyOnce) != 0;

    /// <summary>The deadline receipts and lease extensions ask for: the option, raised to 60 s with exactly-once.</summary>
    private TimeSpan LeaseDeadline => ExactlyOnce && _options.AckDeadline < s_exactlyOnceMinDeadline ? s_exactlyOnceMinDeadline : _options.AckDeadline;

    /// <summary>Takes the subscription's exactly-once setting from a response (every response carries it).</summary>
    private void ObserveSubscription(StreamingPullResponse response)
    {
        int on = response.SubscriptionProperties?.ExactlyOnceDeliveryEnabled == true ? 1 : 0;
        if (Interlocked.Exchange(ref _exactlyOnce, on) != on)
        {
            Log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"Subscription {_options.Subscription}: exactly-once delivery is {(on == 1 ? "on: messages are delivered once their receipt modack succeeded" : "off")}; lease deadline {LeaseDeadline.TotalSeconds} s."));
        }
    }

    /// <summary>
    /// The receipt modack of a response's messages, which Google's clients send for every message. Without
    /// exactly-once it is queued (best effort) and every message goes on at once. With it the pull waits for the
    /// result: transient refusals are sent again, and the messages whose ack ids Pub/Sub refused are dropped here —
    /// never delivered, never holding flow-control room, an offset or a lease (Pub/Sub redelivers them).
    /// </summary>
    private async Task<IList<ReceivedMessage>> ConfirmReceiptAsync(RepeatedField<ReceivedMessage> messages, CancellationToken cancellationToken)
    {
        int seconds = (int)LeaseDeadline.TotalSeconds;
        if (!ExactlyOnce)
        {
            foreach (ReceivedMessage message in messages)
            {
                _acks.Receipt(message.AckId, seconds);
            }

            return messages;
        }

        string[] ackIds = new string[messages.Count];
        for (int i = 0; i < ackIds.Length; i++)
        {
            ackIds[i] = messages[i].AckId;
        }

        HashSet<string>? refused = await _acks.ConfirmReceiptAsync(ackIds, seconds, cancellationToken).ConfigureAwait(false);
        if (refused is null)
        {
            return messages;
        }

        var kept = new List<ReceivedMessage>(messages.Count);
        foreach (ReceivedMessage message in messages)
        {
            if (!refused.Contains(message.AckId))
            {
                kept.Add(message);
            }
        }

        int dropped = messages.Count - kept.Count;
        Interlocked.Add(ref _received, dropped);
        _metrics.Add(_metrics.Received, dropped);
        _metrics.Add(_metrics.AckFailures, dropped, "operation", "receipt");
        Report(string.Create(CultureInfo.InvariantCulture, $"{dropped} messages on {_options.Subscription} were dropped: exactly-once delivery refused their receipt modack (ack id expired or superseded); Pub/Sub redelivers them."));
        return kept;
    }
}
