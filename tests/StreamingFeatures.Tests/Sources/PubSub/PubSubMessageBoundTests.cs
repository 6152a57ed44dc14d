using Google.Cloud.PubSub.V1;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Tests.Sources.PubSub;

/// <summary>A message over the record bound goes to the dead-letter topic unparsed; the others go on.</summary>
[TestClass]
public sealed class PubSubMessageBoundTests
{
    [TestMethod]
    public async Task RunAsync_MessageOverMaxMessageBytes_DeadLetteredUnparsedThenAcked()
    {
        var fake = new FakePubSub(TimeProvider.System);
        string big = fake.Enqueue(FakePubSub.Padded(1, 2_000))[0];
        string small = fake.Enqueue(FakePubSub.Event(2, 20))[0];
        PubSubSourceOptions options = SourceHarness.Options(TimeProvider.System) with { DeadLetterTopic = SourceHarness.DeadLetterTopic, MaxMessageBytes = 1_024 };
        await using SourceHarness harness = new SourceHarness(fake, options).Start();

        await SourceHarness.Eventually(() => fake.Acked.Contains(big), "the big message acked after its publish");

        PubsubMessage published = fake.Publishes.SelectMany(p => p.Messages).Single();
        Assert.AreEqual("RecordTooLarge", published.Attributes["reason"]);
        Assert.AreEqual($"the message data is {FakePubSub.Padded(1, 2_000).Length} bytes; the limit is 1024 (max record bytes)", published.Attributes["detail"]);
        Assert.AreEqual(FakePubSub.Padded(1, 2_000), FakePubSub.Text(published));
        await SourceHarness.Eventually(() => harness.Rows() == 1, "the small one reaches the graph");
        Assert.DoesNotContain(small, fake.Acked, "a row is acked only once written");
        Assert.AreEqual(1, harness.Counter("streamingfeatures.pubsub.poison{reason=RecordTooLarge}"));
    }

    [TestMethod]
    public void Validate_MaxMessageBytesOutOfRange_NamesSettingValueAndRange()
    {
        PubSubSourceOptions options = SourceHarness.Options(TimeProvider.System) with { MaxMessageBytes = 100 };

        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(options.Validate);

        StringAssert.Contains(error.Message, "MaxMessageBytes is 100; allowed 1024 to 104857600.");
    }
}
