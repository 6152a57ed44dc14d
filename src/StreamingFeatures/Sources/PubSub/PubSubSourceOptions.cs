using System.Text.RegularExpressions;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// How the Pub/Sub source pulls: the subscription, the StreamingPull streams, flow control and lease management.
/// Defaults follow Google's own subscriber clients. Validated once, every problem named together.
/// </summary>
public sealed partial record PubSubSourceOptions
{
    /// <summary>The subscription, <c>projects/P/subscriptions/S</c>. Required.</summary>
    public string Subscription { get; init; } = "";

    /// <summary>StreamingPull streams opened at once (1 to 32); each is a partition. Default 2.</summary>
    public int StreamCount { get; init; } = PubSubSourceLimits.StreamCount.Default;

    /// <summary>
    /// Messages received but not yet acked or nacked, across all streams (1 to 1,000,000). Pulling pauses at the
    /// bound, so a slow Bigtable throttles Pub/Sub instead of filling memory. Default 1,000.
    /// </summary>
    public long MaxOutstandingMessages { get; init; } = PubSubSourceLimits.MaxOutstandingMessages.Default;

    /// <summary>Bytes of message data outstanding, across all streams (1 KiB to 10 GiB). Default 100 MB.</summary>
    public long MaxOutstandingBytes { get; init; } = PubSubSourceLimits.MaxOutstandingBytes.Default;

    /// <summary>
    /// The ack deadline the streams ask for and each lease extension grants (10 s to 600 s). Default 60 s.
    /// </summary>
    public TimeSpan AckDeadline { get; init; } = PubSubSourceLimits.AckDeadline.Default;

    /// <summary>
    /// How long before its deadline a waiting message's lease is extended (1 s to <see cref="AckDeadline"/>). Default 15 s.
    /// </summary>
    public TimeSpan LeaseRenewalMargin { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Longest a message is kept leased in total (at least <see cref="AckDeadline"/>, at most 24 h); past it the lease
    /// lapses and Pub/Sub redelivers. Default 60 minutes, as Google's clients.
    /// </summary>
    public TimeSpan MaxTotalLeaseExtension { get; init; } = PubSubSourceLimits.MaxTotalLeaseExtension.Default;

    /// <summary>First wait before a broken stream reconnects (10 ms to 1 minute); doubles with jitter. Default 100 ms.</summary>
    public TimeSpan InitialReconnectBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between reconnects (at least the initial backoff, at most 10 minutes). Default 30 s.</summary>
    public TimeSpan MaxReconnectBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where the event time comes from when the feature set's event-time field is absent from a message:
    /// true takes the publish time; false dead-letters the message. Default true.
    /// </summary>
    public bool PublishTimeFallback { get; init; } = true;

    /// <summary>
    /// Topic for poison messages (<c>projects/P/topics/T</c>): not JSON, no entity key, a wrong type, a key or
    /// value too large. Each is published there with its reason, then acked; if that publish fails it is nacked.
    /// Default: none (then poison messages are nacked and counted, never acked).
    /// </summary>
    public string? DeadLetterTopic { get; init; }

    /// <summary>Rows per chunk handed to the graph (1 to 10,000): a pull response is split into chunks of at most this. Default 500.</summary>
    public int MaxChunkRows { get; init; } = PubSubSourceLimits.MaxChunkRows.Default;

    /// <summary>
    /// The longest message data in bytes (1 KiB to 100 MiB). A longer message goes to the dead-letter topic
    /// (<see cref="DeadLetters.DeadLetterReason.RecordTooLarge"/>) without being parsed. Default 64 MiB, the file
    /// sources' bound; Pub/Sub itself caps a message at 10 MB.
    /// </summary>
    public int MaxMessageBytes { get; init; } = PubSubSourceLimits.MaxMessageBytes.Default;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks every setting and reports all problems together.</summary>
    /// <exception cref="ArgumentException">One or more settings are invalid; the message names each.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (!SubscriptionPattern().IsMatch(Subscription ?? ""))
        {
            errors.Add($"Subscription is '{Subscription}'; expected projects/P/subscriptions/S.");
        }

        if (DeadLetterTopic is not null && !TopicPattern().IsMatch(DeadLetterTopic))
        {
            errors.Add($"DeadLetterTopic is '{DeadLetterTopic}'; expected projects/P/topics/T.");
        }

        OptionChecks.Range(errors, nameof(StreamCount), StreamCount, PubSubSourceLimits.StreamCount);
        OptionChecks.Range(errors, nameof(MaxOutstandingMessages), MaxOutstandingMessages, PubSubSourceLimits.MaxOutstandingMessages);
        OptionChecks.Range(errors, nameof(MaxOutstandingBytes), MaxOutstandingBytes, PubSubSourceLimits.MaxOutstandingBytes);
        OptionChecks.Range(errors, nameof(MaxChunkRows), MaxChunkRows, PubSubSourceLimits.MaxChunkRows);
        OptionChecks.Range(errors, nameof(MaxMessageBytes), MaxMessageBytes, PubSubSourceLimits.MaxMessageBytes);
        OptionChecks.Range(errors, nameof(AckDeadline), AckDeadline, PubSubSourceLimits.AckDeadline);
        OptionChecks.Range(errors, nameof(LeaseRenewalMargin), LeaseRenewalMargin, TimeSpan.FromSeconds(1), AckDeadline);
        OptionChecks.Range(errors, nameof(MaxTotalLeaseExtension), MaxTotalLeaseExtension, AckDeadline, PubSubSourceLimits.MaxTotalLeaseExtension.Max);
        OptionChecks.Range(errors, nameof(InitialReconnectBackoff), InitialReconnectBackoff, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        OptionChecks.Range(errors, nameof(MaxReconnectBackoff), MaxReconnectBackoff, InitialReconnectBackoff, TimeSpan.FromMinutes(10));
        if (TimeProvider is null)
        {
            errors.Add("TimeProvider is null.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Pub/Sub source options: " + string.Join(" ", errors));
        }
    }

    [GeneratedRegex(@"^projects/[^/]+/subscriptions/[^/]+$")]
    private static partial Regex SubscriptionPattern();

    [GeneratedRegex(@"^projects/[^/]+/topics/[^/]+$")]
    private static partial Regex TopicPattern();
}
