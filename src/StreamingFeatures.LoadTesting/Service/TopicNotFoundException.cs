namespace StreamingFeatures.LoadTesting.Service;

/// <summary>The topic a service load test publishes to does not exist: nothing was published.</summary>
public sealed class TopicNotFoundException(string topic, string host)
    : Exception($"{topic} does not exist on {host}.")
{
    /// <summary>projects/P/topics/T.</summary>
    public string Topic { get; } = topic;

    /// <summary>The Pub/Sub endpoint asked (host:port).</summary>
    public string Host { get; } = host;
}
