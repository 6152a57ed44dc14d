namespace StreamingFeatures.Sources.PubSub;

/// <summary>A snapshot of the source, for readiness probes, logs and metrics.</summary>
/// <param name="ConnectedStreams">Streams open now.</param>
/// <param name="OutstandingMessages">Messages received and not yet acked or nacked.</param>
/// <param name="OutstandingBytes">Their data bytes.</param>
/// <param name="Received">Messages received since start (redeliveries included).</param>
/// <param name="Acked">Messages acked since start.</param>
/// <param name="Nacked">Messages nacked since start.</param>
/// <param name="LastError">The last stream or ack error, if any.</param>
/// <param name="LastErrorTime">When it happened.</param>
public sealed record PubSubSourceStatus(
    int ConnectedStreams,
    long OutstandingMessages,
    long OutstandingBytes,
    long Received,
    long Acked,
    long Nacked,
    string? LastError,
    DateTimeOffset? LastErrorTime);
