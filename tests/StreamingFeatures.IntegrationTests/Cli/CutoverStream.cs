using Google.Cloud.PubSub.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// The live stream of a cutover on the fixture's Pub/Sub emulator, in the project local <c>ingest</c> names
/// (<c>local</c>): a topic and its subscription, created before anything else so no event published from then on is
/// lost, and a dead-letter topic; all deleted on dispose.
/// </summary>
internal sealed class CutoverStream : IAsyncDisposable
{
    private readonly GrpcChannel _channel = EmulatorFixture.PubSub.CreateChannel();
    private readonly Publisher.PublisherClient _publisher;
    private readonly Subscriber.SubscriberClient _subscriber;

    private CutoverStream()
    {
        _publisher = new Publisher.PublisherClient(_channel);
        _subscriber = new Subscriber.SubscriberClient(_channel);
        string name = EmulatorFixture.UniqueName("cutover");
        Topic = "projects/local/topics/" + name;
        Subscription = "projects/local/subscriptions/" + name;
        DeadLetterTopic = Topic + "-dl";
    }

    public string Topic { get; }

    public string Subscription { get; }

    public string DeadLetterTopic { get; }

    public static async Task<CutoverStream> CreateAsync(CancellationToken cancellationToken)
    {
        var stream = new CutoverStream();
        await stream._publisher.CreateTopicAsync(new Topic { Name = stream.Topic }, cancellationToken: cancellationToken);
        await stream._subscriber.CreateSubscriptionAsync(new Subscription { Name = stream.Subscription, Topic = stream.Topic, AckDeadlineSeconds = 30 }, cancellationToken: cancellationToken);
        return stream;
    }

    /// <summary>Publishes the events as JSON messages, in requests of 500.</summary>
    public async Task PublishAsync(IReadOnlyList<CutoverEvent> events, CancellationToken cancellationToken)
    {
        foreach (CutoverEvent[] part in events.Chunk(500))
        {
            var request = new PublishRequest { Topic = Topic };
            request.Messages.Add(part.Select(e => new PubsubMessage { Data = ByteString.CopyFromUtf8(e.Json()) }));
            await _publisher.PublishAsync(request, cancellationToken: cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // ingest made the dead-letter topic and a subscription named after it to inspect it.
        string inspect = Subscription + "-dl-inspect";
        foreach (string subscription in new[] { Subscription, inspect })
        {
            await IgnoreAsync(() => _subscriber.DeleteSubscriptionAsync(new DeleteSubscriptionRequest { Subscription = subscription }).ResponseAsync);
        }

        foreach (string topic in new[] { Topic, DeadLetterTopic })
        {
            await IgnoreAsync(() => _publisher.DeleteTopicAsync(new DeleteTopicRequest { Topic = topic }).ResponseAsync);
        }

        _channel.Dispose();
    }

    private static async Task IgnoreAsync(Func<Task> cleanup)
    {
        try
        {
            await cleanup();
        }
        catch (RpcException)
        {
            // Best effort: the emulator goes away with the run anyway.
        }
    }
}
