using Google.Cloud.PubSub.V1;
using Google.Protobuf;

namespace StreamingFeatures.IntegrationTests.PubSub;

public sealed partial class SlowBigtableTests
{
    /// <summary>
    /// A subscription on the workspace's topic with a dead-letter policy, so each delivery carries its attempt
    /// number; checked first with a probe message (pulled, nacked, pulled again as attempt 2, acked), so a
    /// redelivery in the test would show.
    /// </summary>
    private static async Task<string> CreateCountingSubscriptionAsync(IngestWorkspace workspace, CancellationToken cancellationToken)
    {
        var subscriber = new Subscriber.SubscriberClient(workspace.PubSubInvoker);
        string name = workspace.Subscription + "-counted";
        await subscriber.CreateSubscriptionAsync(
            new Subscription
            {
                Name = name,
                Topic = workspace.Topic,
                AckDeadlineSeconds = (int)AckDeadline.TotalSeconds,
                DeadLetterPolicy = new DeadLetterPolicy { DeadLetterTopic = workspace.DeadLetterTopic, MaxDeliveryAttempts = 5 },
            },
            cancellationToken: cancellationToken);

        var publish = new PublishRequest { Topic = workspace.Topic };
        publish.Messages.Add(new PubsubMessage { Data = ByteString.CopyFromUtf8("probe") });
        await new Publisher.PublisherClient(workspace.PubSubInvoker).PublishAsync(publish, cancellationToken: cancellationToken);
        ReceivedMessage first = await PullOneAsync(subscriber, name, cancellationToken);
        await subscriber.ModifyAckDeadlineAsync(new ModifyAckDeadlineRequest { Subscription = name, AckIds = { first.AckId }, AckDeadlineSeconds = 0 }, cancellationToken: cancellationToken);
        ReceivedMessage second = await PullOneAsync(subscriber, name, cancellationToken);
        await subscriber.AcknowledgeAsync(new AcknowledgeRequest { Subscription = name, AckIds = { second.AckId } }, cancellationToken: cancellationToken);
        Assert.AreEqual(2, second.DeliveryAttempt, $"the emulator numbers deliveries (first was {first.DeliveryAttempt}), so a redelivery would show");
        return name;
    }

    private static async Task<ReceivedMessage> PullOneAsync(Subscriber.SubscriberClient subscriber, string subscription, CancellationToken cancellationToken)
    {
        PullResponse response = await subscriber.PullAsync(
            new PullRequest { Subscription = subscription, MaxMessages = 1 },
            deadline: DateTime.UtcNow.AddSeconds(10),
            cancellationToken: cancellationToken);
        Assert.HasCount(1, response.ReceivedMessages, "the probe message");
        return response.ReceivedMessages[0];
    }
}
