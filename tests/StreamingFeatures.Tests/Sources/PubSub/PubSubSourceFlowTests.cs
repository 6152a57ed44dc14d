using System.Threading.Tasks.Dataflow;
using Microsoft.Extensions.Time.Testing;
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
        await using SourceHarness harness = new SourceHarness(fake, options).Start();

        await SourceHarness.Eventually(() => harness.Rows() == 50, "50 messages admitted");
        long most = 0;
        for (int i = 0; i < 30; i++)
        {
            most = Math.Max(most, harness.Source.Status.OutstandingMessages);
            await Task.Delay(10);
        }

        Assert.AreEqual(50, most);
        Assert.AreEqual(50, harness.Rows(), "the rest waits for room");
        List<SourceChunk> done = TakeRows(harness, 20);
        harness.Complete(done);
        int completed = done.Sum(c => c.RowCount);
        await SourceHarness.Eventually(() => harness.Rows() == 50 + completed, "room given back lets as many in");
        Assert.IsLessThanOrEqualTo(50, harness.Source.Status.OutstandingMessages);
        Assert.IsTrue(fake.InitialRequests.All(r => r.MaxOutstandingMessages == 50 && r.StreamAckDeadlineSeconds == 10 && r.Subscription == SourceHarness.Subscription));
    }

    [TestMethod]
    public async Task RunAsync_GraphDoesNotConsume_OutstandingNeverExceedsTheByteBound()
    {
        var fake = new FakePubSub(TimeProvider.System);
        fake.Enqueue([.. Enumerable.Range(0, 20).Select(i => FakePubSub.Padded(i, 280))]);
        PubSubSourceOptions options = SourceHarness.Options(TimeProvider.System) with { MaxOutstandingBytes = 1_024 };
        await using SourceHarness harness = new SourceHarness(fake, options).Start();

        await SourceHarness.Eventually(() => harness.Rows() == 3, "three 300-byte messages fit in 1 KiB");
        await Task.Delay(200);

        Assert.AreEqual(3, harness.Rows());
        Assert.IsLessThanOrEqualTo(1_024, harness.Source.Status.OutstandingBytes);
    }

    [TestMethod]
    public async Task RunAsync_GraphFull_WaitsOnSendAndStaysWithinBounds()
    {
        var fake = new FakePubSub(TimeProvider.System);
        fake.Enqueue([.. Enumerable.Range(0, 200).Select(i => FakePubSub.Event(i, i))]);
        var full = new BufferBlock<SourceChunk>(new DataflowBlockOptions { BoundedCapacity = 1 });
        PubSubSourceOptions options = SourceHarness.Options(TimeProvider.System) with { MaxOutstandingMessages = 30, MaxChunkRows = 7 };
        await using SourceHarness harness = new SourceHarness(fake, options, full).Start();

        await SourceHarness.Eventually(() => harness.Source.Status.Received >= 8, "a chunk taken and the next one waiting");
        await Task.Delay(200);

        Assert.IsLessThanOrEqualTo(30, harness.Source.Status.OutstandingMessages);
        Assert.AreEqual(1, full.Count);
        Assert.IsTrue(full.TryReceive(out SourceChunk? first));
        Assert.AreEqual(7, first.RowCount, "chunks hold at most MaxChunkRows");
        Assert.AreEqual(0, first.FirstOffset);
    }

    [TestMethod]
    public async Task Leases_WaitingInTheGraph_ExtendedBeforeTheyLapseThenDroppedAfterMaxTotalExtension()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var fake = new FakePubSub(time);
        List<string> ackIds = fake.Enqueue(FakePubSub.Event(1, 1), FakePubSub.Event(2, 2), FakePubSub.Event(3, 3));
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(time)).Start();
        await SourceHarness.Eventually(() => harness.Rows() == 3, "three rows in the graph");

        for (int second = 1; second <= 29; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await SourceHarness.Eventually(() => fake.ModAcks.Count >= second / 8, $"extension by second {second}");
            await Task.Delay(20);
            fake.CheckLeases();
        }

        Assert.IsEmpty(fake.Lapsed, "no lease may lapse before MaxTotalLeaseExtension");
        List<int> seconds = [.. fake.ModAcks.Select(m => m.AckDeadlineSeconds)];
        CollectionAssert.AreEqual(new[] { 10, 10, 10, 6 }, seconds, "the receipt modack, then extended by the ack deadline, the last one up to the 30 s total");
        Assert.IsTrue(fake.ModAcks.All(m => m.AckIds.Order().SequenceEqual(ackIds.Order())), "one batched request for all that are due");

        for (int second = 30; second <= 45; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        await SourceHarness.Eventually(() => harness.Counter("streamingfeatures.pubsub.lease.expired") == 3, "three leases given up: " + string.Join(" | ", harness.Log) + " counter=" + harness.Counter("streamingfeatures.pubsub.lease.expired") + " now=" + time.GetUtcNow());
        Assert.HasCount(4, fake.ModAcks, "no extension past the maximum");
        harness.Complete(harness.Chunks());
        Assert.AreEqual(0, harness.Source.Status.OutstandingMessages, "their room is given back when the graph is done");
        time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(100);
        Assert.IsEmpty(fake.Acks, "an expired lease is not acked: Pub/Sub redelivers the message");
        Assert.AreEqual(3, harness.Counter("streamingfeatures.pubsub.lease.extensions") / 3);
    }

    [TestMethod]
    public async Task Leases_WaitingForFlowControlRoom_ExtendedFromReceiptSoTheyDoNotLapse()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var fake = new FakePubSub(time);
        List<string> ackIds = fake.Enqueue(FakePubSub.Event(1, 1), FakePubSub.Event(2, 2), FakePubSub.Event(3, 3));
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(time) with { MaxOutstandingMessages = 1 }).Start();
        await SourceHarness.Eventually(() => harness.Rows() == 1 && harness.Source.Status.Received == 3, "one admitted, two waiting for room");

        for (int second = 1; second <= 25; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
            fake.CheckLeases();
        }

        Assert.IsEmpty(fake.Lapsed, "a message waiting for room keeps its lease");
        Assert.IsTrue(fake.ModAcks.Skip(1).Any(m => m.AckIds.Contains(ackIds[2])), "the last message, still waiting, was extended");
        Assert.AreEqual(1, harness.Rows(), "still only one in the graph");
        Assert.AreEqual(1, harness.Source.Status.OutstandingMessages, "only the admitted one holds room");
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
