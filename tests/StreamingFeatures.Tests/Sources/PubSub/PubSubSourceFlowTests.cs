using StreamingFeatures.Sources;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Tests.Sources.PubSub;

/// <summary>Client-side flow control and leases: bounded memory whatever the graph does, leases kept on virtual time.</summary>
[TestClass]
public sealed class PubSubSourceFlowTests
{
    [TestMethod]
    public async Task RunAsync_GraphDoesNotConsume_OutstandingNeverExceedsTheMessageBound()
    {
        var fake = new FakePubSub(TimeProvider.System);
        fake.Enqueue([.. Enumerable.Range(0, 500).Select(i => FakePubSub.Event(i, i))]);
        PubSubSourceOptions options = SourceHarness.Options(TimeProvider.System, streams: 2) with { MaxOutstandingMessages = 50 };
        var most = new MostOutstanding();
        await using var harness = new SourceHarness(fake, options, arrived: most.Arrived);
        most.Source = harness.Source;
        harness.Start();

        await SourceHarness.Eventually(() => harness.Rows() == 50, "50 messages admitted");
        Assert.AreEqual(50, most.Messages, "outstanding when each chunk arrived");
        Assert.AreEqual(50, harness.Rows(), "the rest waits for room");
        List<SourceChunk> done = TakeRows(harness, 20);
        harness.Complete(done);
        int completed = done.Sum(c => c.RowCount);
        await SourceHarness.Eventually(() => harness.Rows() == 50 + completed, "room given back lets as many in");
        Assert.IsLessThanOrEqualTo(50, harness.Source.Status.OutstandingMessages);
        Assert.AreEqual(50, most.Messages, "the bound held at every arrival, before and after room was given back");
        Assert.IsTrue(fake.InitialRequests.All(r => r.MaxOutstandingMessages == 50 && r.StreamAckDeadlineSeconds == 10 && r.Subscription == SourceHarness.Subscription));
    }

    [TestMethod]
    public async Task RunAsync_GraphDoesNotConsume_OutstandingNeverExceedsTheByteBound()
    {
        var fake = new FakePubSub(TimeProvider.System);
        fake.Enqueue([.. Enumerable.Range(0, 20).Select(i => FakePubSub.Padded(i, 280))]);
        PubSubSourceOptions options = SourceHarness.Options(TimeProvider.System) with { MaxOutstandingBytes = 1_024 };
        var most = new MostOutstanding();
        await using var harness = new SourceHarness(fake, options, arrived: most.Arrived);
        most.Source = harness.Source;
        harness.Start();

        await SourceHarness.Eventually(() => harness.Rows() == 3, "three 300-byte messages fit in 1 KiB");
        await SourceHarness.Eventually(() => harness.Source.Status.Received == 20, "all 20 received, the fourth waiting for room");

        Assert.AreEqual(3, harness.Rows());
        Assert.IsLessThanOrEqualTo(1_024, harness.Source.Status.OutstandingBytes);
        Assert.IsLessThanOrEqualTo(1_024, most.Bytes, "outstanding bytes when each chunk arrived");
    }

    [TestMethod]
    public async Task RunAsync_GraphFull_WaitsOnSendAndStaysWithinBounds()
    {
        var fake = new FakePubSub(TimeProvider.System);
        fake.Enqueue([.. Enumerable.Range(0, 200).Select(i => FakePubSub.Event(i, i))]);
        var full = new RoomTarget(1);
        PubSubSourceOptions options = SourceHarness.Options(TimeProvider.System) with { MaxOutstandingMessages = 30, MaxChunkRows = 7 };
        await using SourceHarness harness = new SourceHarness(fake, options, full).Start();

        await SourceHarness.Eventually(() => harness.Source.Status.Received >= 8, "a chunk taken and the next one waiting");
        await full.Postponed.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.IsLessThanOrEqualTo(30, harness.Source.Status.OutstandingMessages);
        Assert.AreEqual(1, full.Count);
        SourceChunk first = full.TakeAll().Single();
        Assert.AreEqual(7, first.RowCount, "chunks hold at most MaxChunkRows");
        Assert.AreEqual(0, first.FirstOffset);
    }

    [TestMethod]
    public async Task Leases_WaitingInTheGraph_ExtendedBeforeTheyLapseThenDroppedAfterMaxTotalExtension()
    {
        var time = new LoopClock();
        var fake = new FakePubSub(time);
        List<string> ackIds = fake.Enqueue(FakePubSub.Event(1, 1), FakePubSub.Event(2, 2), FakePubSub.Event(3, 3));
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(time)).Start();
        await SourceHarness.Eventually(() => harness.Rows() == 3, "three rows in the graph");
        await SourceHarness.Eventually(() => time.LoopsAsleep == 2, "the lease loop asleep, as the stream's keep-alive is");

        for (int second = 1; second <= 29; second++)
        {
            await time.TickAsync(TimeSpan.FromSeconds(1));
            await SourceHarness.Eventually(() => fake.ModAcks.Count >= second / 8, $"extension by second {second}");
            fake.CheckLeases();
        }

        Assert.IsEmpty(fake.Lapsed, "no lease may lapse before MaxTotalLeaseExtension");
        List<int> seconds = [.. fake.ModAcks.Select(m => m.AckDeadlineSeconds)];
        CollectionAssert.AreEqual(new[] { 10, 10, 10, 6 }, seconds, "the receipt modack, then extended by the ack deadline, the last one up to the 30 s total");
        Assert.IsTrue(fake.ModAcks.All(m => m.AckIds.Order().SequenceEqual(ackIds.Order())), "one batched request for all that are due");

        for (int second = 30; second <= 45; second++)
        {
            await time.TickAsync(TimeSpan.FromSeconds(1));
        }

        await SourceHarness.Eventually(() => harness.Counter("streamingfeatures.pubsub.lease.expired") == 3, "three leases given up: " + string.Join(" | ", harness.Log) + " counter=" + harness.Counter("streamingfeatures.pubsub.lease.expired") + " now=" + time.GetUtcNow());
        Assert.HasCount(4, fake.ModAcks, "no extension past the maximum");
        harness.Complete(harness.Chunks());
        Assert.AreEqual(0, harness.Source.Status.OutstandingMessages, "their room is given back when the graph is done");
        await time.TickAsync(TimeSpan.FromSeconds(1));

        // Closing sends every ack still queued: whatever completing the expired rows queued has landed by then.
        await harness.Source.CloseAsync(TimeSpan.FromSeconds(10));
        Assert.IsEmpty(fake.Acks, "an expired lease is not acked: Pub/Sub redelivers the message");
        Assert.AreEqual(3, harness.Counter("streamingfeatures.pubsub.lease.extensions") / 3);
    }

    [TestMethod]
    public async Task Leases_WaitingForFlowControlRoom_ExtendedFromReceiptSoTheyDoNotLapse()
    {
        var time = new LoopClock();
        var fake = new FakePubSub(time);
        List<string> ackIds = fake.Enqueue(FakePubSub.Event(1, 1), FakePubSub.Event(2, 2), FakePubSub.Event(3, 3));
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(time) with { MaxOutstandingMessages = 1 }).Start();
        await SourceHarness.Eventually(() => harness.Rows() == 1 && harness.Source.Status.Received == 3, "one admitted, two waiting for room");
        await SourceHarness.Eventually(() => time.LoopsAsleep == 2, "the lease loop asleep, as the stream's keep-alive is");

        for (int second = 1; second <= 25; second++)
        {
            await time.TickAsync(TimeSpan.FromSeconds(1));
            fake.CheckLeases();
        }

        Assert.IsEmpty(fake.Lapsed, "a message waiting for room keeps its lease");
        Assert.IsTrue(fake.ModAcks.Skip(1).Any(m => m.AckIds.Contains(ackIds[2])), "the last message, still waiting, was extended");
        Assert.AreEqual(1, harness.Rows(), "still only one in the graph");
        Assert.AreEqual(1, harness.Source.Status.OutstandingMessages, "only the admitted one holds room");
    }

    /// <summary>The most messages and bytes outstanding when a chunk reached the graph.</summary>
    private sealed class MostOutstanding
    {
        private long _messages;
        private long _bytes;

        public PubSubSource? Source { get; set; }

        public long Messages => Interlocked.Read(ref _messages);

        public long Bytes => Interlocked.Read(ref _bytes);

        public void Arrived(SourceChunk chunk)
        {
            PubSubSourceStatus status = Source!.Status;
            Raise(ref _messages, status.OutstandingMessages);
            Raise(ref _bytes, status.OutstandingBytes);
        }

        private static void Raise(ref long most, long value)
        {
            long seen = Interlocked.Read(ref most);
            while (value > seen && Interlocked.CompareExchange(ref most, value, seen) != seen)
            {
                seen = Interlocked.Read(ref most);
            }
        }
    }

    private static List<SourceChunk> TakeRows(SourceHarness harness, int rows)
    {
        var taken = new List<SourceChunk>();
        foreach (SourceChunk chunk in harness.Chunks())
        {
            if (taken.Sum(c => c.RowCount) >= rows)
            {
                break;
            }

            taken.Add(chunk);
        }

        return taken;
    }
}
