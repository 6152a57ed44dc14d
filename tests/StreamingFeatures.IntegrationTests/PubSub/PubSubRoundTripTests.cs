using System.Globalization;
using Google.Cloud.PubSub.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace StreamingFeatures.IntegrationTests.PubSub;

/// <summary>The generated Pub/Sub clients against the real emulator: publish, StreamingPull, ack, no redelivery.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class PubSubRoundTripTests
{
    private const int Messages = 1_000;
    private const int AckDeadlineSeconds = 10;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task StreamingPull_ThousandMessagesAcked_AllArriveIntactAndNoneIsRedelivered()
    {
        CancellationToken cancellationToken = TestContext.CancellationToken;
        using GrpcChannel channel = EmulatorFixture.PubSub.CreateChannel();
        var publisher = new Publisher.PublisherClient(channel);
        var subscriber = new Subscriber.SubscriberClient(channel);
        string topic = $"projects/{EmulatorFixture.Project}/topics/{EmulatorFixture.UniqueName("rt")}";
        string subscription = $"projects/{EmulatorFixture.Project}/subscriptions/{EmulatorFixture.UniqueName("rt")}";
        await publisher.CreateTopicAsync(new Topic { Name = topic }, cancellationToken: cancellationToken);
        await subscriber.CreateSubscriptionAsync(
            new Subscription { Name = subscription, Topic = topic, AckDeadlineSeconds = AckDeadlineSeconds },
            cancellationToken: cancellationToken);
        try
        {
            var published = new Dictionary<string, string>(); // message id -> payload
            for (int start = 0; start < Messages; start += 100)
            {
                var request = new PublishRequest { Topic = topic };
                for (int i = start; i < start + 100; i++)
                {
                    request.Messages.Add(new PubsubMessage
                    {
                        Data = ByteString.CopyFromUtf8(Payload(i)),
                        Attributes = { ["index"] = i.ToString(CultureInfo.InvariantCulture) },
                    });
                }

                PublishResponse response = await publisher.PublishAsync(request, cancellationToken: cancellationToken);
                Assert.HasCount(100, response.MessageIds);
                for (int i = 0; i < 100; i++)
                {
                    published.Add(response.MessageIds[i], Payload(start + i));
                }
            }

            var received = new Dictionary<string, string>();
            int redelivered = 0;
            using var call = subscriber.StreamingPull(cancellationToken: cancellationToken);
            await call.RequestStream.WriteAsync(new StreamingPullRequest
            {
                Subscription = subscription,
                StreamAckDeadlineSeconds = AckDeadlineSeconds,
                MaxOutstandingMessages = Messages,
            }, cancellationToken);

            // Receive and ack everything; then stay on the stream past the ack deadline, when unacked messages would come back.
            using (var receiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                receiving.CancelAfter(TimeSpan.FromSeconds(60));
                while (received.Count < Messages && await call.ResponseStream.MoveNext(receiving.Token))
                {
                    await AckAllAsync(call, call.ResponseStream.Current, received, ref redelivered, cancellationToken);
                }
            }

            Assert.HasCount(Messages, received, "every published message must be delivered");
            CollectionAssert.AreEquivalent(published, received, "each message must arrive with its own payload");

            using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                quiet.CancelAfter(TimeSpan.FromSeconds(AckDeadlineSeconds + 3));
                try
                {
                    while (await call.ResponseStream.MoveNext(quiet.Token))
                    {
                        redelivered += call.ResponseStream.Current.ReceivedMessages.Count;
                    }
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && quiet.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                }
            }

            Assert.AreEqual(0, redelivered, "no acked message may be delivered again");
            Assert.AreEqual(0, await PullOnceAsync(subscriber, subscription, cancellationToken), "the subscription must be drained");
        }
        finally
        {
            await subscriber.DeleteSubscriptionAsync(new DeleteSubscriptionRequest { Subscription = subscription }, cancellationToken: CancellationToken.None);
            await publisher.DeleteTopicAsync(new DeleteTopicRequest { Topic = topic }, cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>Messages a plain Pull still finds; a Pull that waits out its deadline found none.</summary>
    private static async Task<int> PullOnceAsync(Subscriber.SubscriberClient subscriber, string subscription, CancellationToken cancellationToken)
    {
        try
        {
            PullResponse response = await subscriber.PullAsync(
                new PullRequest { Subscription = subscription, MaxMessages = Messages },
                deadline: DateTime.UtcNow.AddSeconds(3),
                cancellationToken: cancellationToken);
            return response.ReceivedMessages.Count;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
        {
            return 0;
        }
    }

    private static string Payload(int index) => $"{{\"entity\":\"user-{index}\",\"clicks\":{index * 7}}}";

    private static Task AckAllAsync(
        AsyncDuplexStreamingCall<StreamingPullRequest, StreamingPullResponse> call,
        StreamingPullResponse response,
        Dictionary<string, string> received,
        ref int redelivered,
        CancellationToken cancellationToken)
    {
        var ack = new StreamingPullRequest();
        foreach (ReceivedMessage message in response.ReceivedMessages)
        {
            if (!received.TryAdd(message.Message.MessageId, message.Message.Data.ToStringUtf8()))
            {
                redelivered++;
            }

            ack.AckIds.Add(message.AckId);
        }

        return call.RequestStream.WriteAsync(ack, cancellationToken);
    }
}
