using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Tests.Sources.PubSub;

/// <summary>Acks after completion only, batched; exactly-once ack results; stop and close.</summary>
[TestClass]
public sealed class PubSubSourceAckTests
{
    [TestMethod]
    public async Task Complete_ManyRows_AckedInBatchesOfAtMost2500WithFreshness()
    {
        var fake = new FakePubSub(TimeProvider.System) { MessagesPerResponse = 500 };
        List<string> ackIds = fake.Enqueue([.. Enumerable.Range(0, 6_000).Select(i => FakePubSub.Event(i, i))]);
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(TimeProvider.System, streams: 2) with { MaxOutstandingMessages = 10_000 }).Start();
        await SourceHarness.Eventually(() => harness.Rows() == 6_000, "6,000 rows in the graph");

        // The receipts of all 6,000 have landed, so the ack sender has flushed what delivery queued; and a message is
        // acked only once settled, which gives its flow-control room back: all 6,000 still hold theirs.
        await SourceHarness.Eventually(() => fake.ModAcks.Sum(m => m.AckIds.Count) == 6_000, "every receipt sent");
        Assert.AreEqual(6_000, harness.Source.Status.OutstandingMessages, "nothing is acked before the pipeline says its row is done");
        Assert.IsEmpty(fake.Acks, "nothing is acked before the pipeline says its row is done");

        harness.Complete(harness.Chunks());

        await SourceHarness.Eventually(() => fake.Acked.Count == 6_000, "every message acked");
        Assert.IsTrue(fake.Acks.All(a => a.AckIds.Count <= 2_500), string.Join(",", fake.Acks.Select(a => a.AckIds.Count)));
        CollectionAssert.AreEquivalent(ackIds, fake.Acks.SelectMany(a => a.AckIds).ToList(), "each exactly once");
        Assert.AreEqual(6_000, harness.Source.Status.Acked);
        Assert.AreEqual(0, harness.Source.Status.OutstandingMessages);
        Assert.AreEqual(6_000, harness.Counter("streamingfeatures.pubsub.acked"));
        LatencySummary freshness = harness.Source.TakeFreshnessSummary();
        Assert.AreEqual(6_000, freshness.Count);
        Assert.IsTrue(freshness.P50 <= freshness.P99 && freshness.P99 <= freshness.Max && freshness.Max < TimeSpan.FromMinutes(1), freshness.ToString());
        Assert.AreEqual(0, harness.Source.TakeFreshnessSummary().Count, "the summary starts over");
    }

    [TestMethod]
    public async Task Complete_ExactlyOnceAckPartlyFails_TransientSentAgainPermanentCountedAndReported()
    {
        var fake = new FakePubSub(TimeProvider.System)
        {
            AckFault = (call, _) => call == 1
                ? AckResultsTests.ExactlyOnceFailure(new() { ["ack-1"] = "PERMANENT_FAILURE_INVALID_ACK_ID", ["ack-2"] = "TRANSIENT_FAILURE_UNORDERED_ACK_ID" })
                : null,
        };
        fake.Enqueue([.. Enumerable.Range(0, 5).Select(i => FakePubSub.Event(i, i))]);
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(TimeProvider.System)).Start();
        await SourceHarness.Eventually(() => harness.Rows() == 5, "five rows");

        harness.Complete(harness.Chunks());

        await SourceHarness.Eventually(() => fake.Acked.SetEquals(["ack-2", "ack-3", "ack-4", "ack-5"]), "all but the refused one acked");

        // Closing sends what is still queued and waits for the retries due: the counts below are final.
        await harness.Source.CloseAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(1, fake.Acks.Count(a => a.AckIds.Contains("ack-1")), "a permanent failure is not sent again");
        Assert.AreEqual(2, fake.Acks.Count(a => a.AckIds.Contains("ack-2")), "a transient one is");
        Assert.AreEqual(4, harness.Source.Status.Acked);
        Assert.AreEqual(1, harness.Counter("streamingfeatures.pubsub.ack.failures{operation=ack}"));
        Assert.Contains("refused for good", harness.Source.Status.LastError ?? "");
    }

    [TestMethod]
    public async Task StopThenClose_SomeRowsDone_DoneAckedRestNackedNothingLeft()
    {
        var fake = new FakePubSub(TimeProvider.System) { MessagesPerResponse = 4 };
        List<string> ackIds = fake.Enqueue([.. Enumerable.Range(0, 12).Select(i => FakePubSub.Event(i, i))]);
        SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(TimeProvider.System)).Start();
        await SourceHarness.Eventually(() => harness.Rows() == 12, "twelve rows");

        await harness.StopAsync();
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(12, harness.Source.Status.OutstandingMessages, "a stop keeps what was received leased");
        SourceChunk first = harness.Chunks()[0];
        harness.Complete([first]);
        await harness.Source.CloseAsync(TimeSpan.FromSeconds(10));

        List<string> done = ackIds.Take(first.RowCount).ToList();
        CollectionAssert.AreEquivalent(done, fake.Acked.ToList());
        CollectionAssert.AreEquivalent(ackIds.Skip(first.RowCount).ToList(), fake.Nacked.ToList(), "every message not done is handed back");
        Assert.AreEqual(0, harness.Source.Status.OutstandingMessages);
        Assert.AreEqual(12 - first.RowCount, harness.Source.Status.Nacked);
        await harness.DisposeAsync();
        await harness.Source.DisposeAsync();
    }

    [TestMethod]
    public async Task RunAsync_GraphDeclines_ReturnsAndNacksTheChunk()
    {
        var fake = new FakePubSub(TimeProvider.System);
        List<string> ackIds = fake.Enqueue(FakePubSub.Event(1, 1), FakePubSub.Event(2, 2));
        var closed = new BufferBlock<SourceChunk>();
        closed.Complete();
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(TimeProvider.System), closed).Start();

        await harness.Run.WaitAsync(TimeSpan.FromSeconds(10));

        await SourceHarness.Eventually(() => fake.Nacked.SetEquals(ackIds), "the refused chunk is nacked");
        Assert.AreEqual(0, harness.Source.Status.OutstandingMessages);
    }
}
