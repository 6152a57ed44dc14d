namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// A Pub/Sub pull that cannot go on: the subscription is missing, pulling is not allowed, or a stream failed with a
/// code retrying cannot fix. The message names the subscription and the status.
/// </summary>
public sealed class PubSubSourceException : Exception
{
    public PubSubSourceException()
    {
    }

    public PubSubSourceException(string message)
        : base(message)
    {
    }

    public PubSubSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
