using Google.Cloud.PubSub.V1;
using Grpc.Core;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Tests.Sources.PubSub;

/// <summary>Poison messages never reach the graph: to the dead-letter topic then acked, or nacked — never lost.</summary>
[TestClass]
public sealed class PubSubSourcePoisonTests
{
    [TestMethod]
    public async Task RunAsync_PoisonMixedIn_PublishedWithReasonThenAckedAndKeptOutOfTheGraph()
    {
        var fake = new FakePubSub(TimeProvider.System);
        PubsubMessage garbage = TestEvents.Message("garbage", ("origin", "sensor-7"));
        List<string> ids =
        [
            fake.Enqueue(FakePubSub.Event(1, 10))[0],
            fake.Enqueue(garbage),
            fake.Enqueue(TestEvents.Message("""{"ts":"2026-01-01T00:00:00Z"}""")),
            fake.Enqueue(FakePubSub.Event(2, 20))[0],
        ];
        await using SourceHarness harness = new SourceHarness(fake, WithTopic()).Start();

        await SourceHarness.Eventually(() => fake.Acked.SetEquals([ids[1], ids[2]]), "both poison messages acked after their publish");

        List<PubsubMessage> published = [.. fake.Publishes.SelectMany(p => p.Messages)];
        Assert.IsTrue(fake.Publishes.All(p => p.Topic == SourceHarness.DeadLetterTopic));
        Assert.HasCount(2, published);
        PubsubMessage first = published.Single(m => m.Attributes["original_message_id"] == garbage.MessageId);
        Assert.AreEqual("Unparseable", first.Attributes["reason"]);
        Assert.Contains("not a JSON object", first.Attributes["detail"]);
        Assert.AreEqual(SourceHarness.Subscription, first.Attributes["subscription"]);
        Assert.AreEqual("sensor-7", first.Attributes["origin"], "the original attributes go along");
        Assert.AreEqual("garbage", FakePubSub.Text(first));
        Assert.AreEqual("EmptyKey", published.Single(m => m != first).Attributes["reason"]);

        List<SourceChunk> chunks = harness.Chunks();
        Assert.AreEqual(2, harness.Rows(), "only the two valid events reach the graph");
        CollectionAssert.AreEqual(new long[] { 0, 3 }, chunks.Select(c => c.FirstOffset).ToList(), "a chunk ends before a poison message; offsets count every message");
        Assert.AreEqual(1, harness.Counter("streamingfeatures.pubsub.poison{reason=Unparseable}"));
        Assert.AreEqual(1, harness.Counter("streamingfeatures.pubsub.poison{reason=EmptyKey}"));
        Assert.AreEqual(2, harness.Source.Status.OutstandingMessages, "the valid ones wait for their rows");
    }

    [TestMethod]
    public async Task RunAsync_DeadLetterPublishFails_PoisonNackedNeverAcked()
    {
        var fake = new FakePubSub(TimeProvider.System) { PublishFault = _ => new RpcException(new Status(StatusCode.Unavailable, "down")) };
        string poison = fake.Enqueue(TestEvents.Message("""{"user":"u","clicks":"lots"}"""));
        await using SourceHarness harness = new SourceHarness(fake, WithTopic()).Start();

        await SourceHarness.Eventually(() => fake.Nacked.Contains(poison), "the poison message handed back");

        Assert.IsEmpty(fake.Acked);
        Assert.HasCount(4, fake.Publishes, "a few tries first");
        Assert.AreEqual(1, harness.Counter("streamingfeatures.pubsub.dead_letter.failures"));
        Assert.Contains("nacked", harness.Source.Status.LastError ?? "");
    }

    [TestMethod]
    public async Task RunAsync_NoDeadLetterTopic_PoisonNackedAndCounted()
    {
        var fake = new FakePubSub(TimeProvider.System);
        string poison = fake.Enqueue(TestEvents.Message("[]"));
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(TimeProvider.System)).Start();

        await SourceHarness.Eventually(() => fake.Nacked.Contains(poison), "the poison message handed back");

        Assert.IsEmpty(fake.Acked);
        Assert.IsEmpty(fake.Publishes);
        Assert.AreEqual(1, harness.Counter("streamingfeatures.pubsub.poison{reason=Unparseable}"));
        Assert.Contains("no DeadLetterTopic", harness.Source.Status.LastError ?? "");
        Assert.AreEqual(0, harness.Source.Status.OutstandingMessages);
    }

    [TestMethod]
    public async Task DeadLetters_RowRefusedInTheGraph_PublishedThenAckedOnCompletion()
    {
        var fake = new FakePubSub(TimeProvider.System);
        string id = fake.Enqueue(FakePubSub.Event(1, 1))[0];
        await using SourceHarness harness = new SourceHarness(fake, WithTopic()).Start();
        await SourceHarness.Eventually(() => harness.Rows() == 1, "the row in the graph");

        await harness.Source.DeadLetters.WriteAsync(new DeadLetter(DeadLetterReason.KeyTooLong, "Row key would be 5000 bytes; Bigtable allows at most 4096.", 0, 0), CancellationToken.None);
        harness.Complete(harness.Chunks());

        await SourceHarness.Eventually(() => fake.Acked.Contains(id), "acked once its dead letter is out");
        PubsubMessage published = fake.Publishes.Single().Messages.Single();
        Assert.AreEqual("KeyTooLong", published.Attributes["reason"]);
        Assert.Contains("5000 bytes", published.Attributes["detail"]);
        Assert.AreEqual(FakePubSub.Event(1, 1), FakePubSub.Text(published));
    }

    [TestMethod]
    public async Task DeadLetters_PublishFails_CompletionNacksInsteadOfAcking()
    {
        var fake = new FakePubSub(TimeProvider.System) { PublishFault = _ => new RpcException(new Status(StatusCode.Unavailable, "down")) };
        List<string> ids = fake.Enqueue(FakePubSub.Event(1, 1), FakePubSub.Event(2, 2));
        await using SourceHarness harness = new SourceHarness(fake, WithTopic()).Start();
        await SourceHarness.Eventually(() => harness.Rows() == 2, "the rows in the graph");

        await harness.Source.DeadLetters.WriteAsync(new DeadLetter(DeadLetterReason.ValueTooLarge, "too big", 0, 1), CancellationToken.None);
        harness.Complete(harness.Chunks());

        await SourceHarness.Eventually(() => fake.Nacked.Contains(ids[1]) && fake.Acked.Contains(ids[0]), "the written row acked, the undead-lettered one nacked");
        Assert.IsFalse(fake.Acked.Contains(ids[1]));
    }

    private static PubSubSourceOptions WithTopic() => SourceHarness.Options(TimeProvider.System) with { DeadLetterTopic = SourceHarness.DeadLetterTopic };
}
