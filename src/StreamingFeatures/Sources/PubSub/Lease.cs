using Google.Cloud.PubSub.V1;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// A received message the source still answers for, from receipt until its ack or nack is queued. Mutable fields
/// are guarded by the <see cref="LeaseTable"/>'s lock (except <see cref="NackOnComplete"/>, which is volatile).
/// </summary>
internal sealed class Lease(ReceivedMessage received, int partition, long offset, DateTimeOffset receivedAt, DateTimeOffset deadline)
{
    private volatile bool _nackOnComplete;

    public string AckId { get; } = received.AckId;

    /// <summary>Kept until done: a dead letter republishes its data and attributes.</summary>
    public PubsubMessage Message { get; } = received.Message;

    public int Partition { get; } = partition;

    public long Offset { get; } = offset;

    public long Bytes { get; } = received.Message.Data.Length;

    public DateTimeOffset PublishTime { get; } = received.Message.PublishTime?.ToDateTimeOffset() ?? receivedAt;

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    /// <summary>When the current lease lapses unless extended.</summary>
    public DateTimeOffset Deadline { get; set; } = deadline;

    /// <summary>
    /// The lease reached the maximum total extension and lapsed: Pub/Sub redelivers the message, so it is neither
    /// acked nor nacked any more; its flow-control room is given back once the graph is done with its row.
    /// </summary>
    public bool Expired { get; set; }

    /// <summary>
    /// It took flow-control room (set once, by the stream that received it). A message is leased from receipt, so it
    /// can be waiting for room while its lease is extended; settling it gives room back only if it held some.
    /// </summary>
    public bool HoldsRoom { get; set; }

    /// <summary>The message is a poison waiting for its dead-letter publish (it is not in the graph).</summary>
    public bool Poison { get; set; }

    /// <summary>Its dead letter could not be published: when its row completes it is nacked, never acked.</summary>
    public bool NackOnComplete
    {
        get => _nackOnComplete;
        set => _nackOnComplete = value;
    }
}
