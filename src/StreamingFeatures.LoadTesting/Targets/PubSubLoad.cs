using Google.Cloud.PubSub.V1;
using Grpc.Net.Client;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.LoadTesting.Targets;

/// <summary>
/// The pubsub target's side of the emulator: a topic and subscription of its own, and a <see cref="RowPublisher"/>
/// publishing the profile's rows to the topic on the recorder's schedule. The receiving side finds each row's planned
/// time again from its event time (<see cref="ObservedSource"/>).
/// </summary>
internal static class PubSubLoad
{
    /// <summary>Creates the topic and subscription; returns the publisher (not started) and the subscription to read.</summary>
    public static async Task<(RowPublisher Publisher, string Subscription)> CreateAsync(GrpcChannel channel, string name, SyntheticSource rows, LoadRecorder recorder, CancellationToken cancellationToken)
    {
        string id = $"loadtest-{name}-{Guid.NewGuid():N}"[..Math.Min(name.Length + 18, 60)];
        var publisher = new Publisher.PublisherClient(channel);
        var subscriber = new Subscriber.SubscriberClient(channel);
        string topic = $"projects/local/topics/{id}";
        string subscription = $"projects/local/subscriptions/{id}";
        await publisher.CreateTopicAsync(new Topic { Name = topic }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await subscriber.CreateSubscriptionAsync(new Subscription { Name = subscription, Topic = topic, AckDeadlineSeconds = 60 }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (new RowPublisher(publisher, topic, rows, recorder.Schedule, recorder.Time, () => recorder.Elapsed), subscription);
    }
}
