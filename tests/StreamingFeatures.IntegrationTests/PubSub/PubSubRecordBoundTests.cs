using Google.Cloud.PubSub.V1;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Verification;

namespace StreamingFeatures.IntegrationTests.PubSub;

/// <summary>Messages over the record bound, on the real Pub/Sub and Bigtable emulators: dead-lettered unparsed, the rest land.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class PubSubRecordBoundTests
{
    private static readonly long BaseMicros = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Ingest_MessagesOverMaxMessageBytes_DeadLetteredWithReasonAndTheOthersLand()
    {
        const int Valid = 200;
        CancellationToken cancellationToken = TestContext.CancellationToken;
        await using IngestWorkspace workspace = await IngestWorkspace.CreateAsync(ackDeadlineSeconds: 10, cancellationToken);
        var payloads = Enumerable.Range(0, Valid).Select(i => IngestWorkspace.Event(i, BaseMicros + i, i)).ToList();
        string big = $$"""{"user":"big","clicks":1,"name":"{{new string('n', 8_000)}}"}""";
        payloads.Insert(50, big);
        payloads.Insert(150, big);
        await workspace.PublishAsync(payloads, cancellationToken);
        await using PubSubSource source = workspace.CreateSource(workspace.Options() with { MaxMessageBytes = 4_096 });

        PipelineResult result = await workspace.IngestAsync(source, s => s.Status.Acked >= payloads.Count, TimeSpan.FromMinutes(2), VerificationMode.Full, cancellationToken);

        Assert.AreEqual(payloads.Count, source.Status.Acked, "valid and dead-lettered messages are all acked: " + source.Status);
        Assert.HasCount(Valid, await workspace.ReadTableAsync(cancellationToken));
        Assert.AreEqual(0, result.Report.DeadLettered, "refused before the graph");
        List<ReceivedMessage> dead = await workspace.PullAsync(workspace.DeadLetterSubscription, 10, cancellationToken);
        Assert.HasCount(2, dead);
        foreach (ReceivedMessage message in dead)
        {
            Assert.AreEqual("RecordTooLarge", message.Message.Attributes["reason"]);
            StringAssert.StartsWith(message.Message.Attributes["detail"], $"the message data is {big.Length} bytes; the limit is 4096");
            Assert.AreEqual(big, message.Message.Data.ToStringUtf8());
        }
    }
}
