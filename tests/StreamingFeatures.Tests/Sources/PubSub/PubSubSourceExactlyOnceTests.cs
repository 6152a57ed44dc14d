using Google.Cloud.PubSub.V1;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Tests.Sources.PubSub;

/// <summary>
/// Receipt modacks, as Google's clients send them: for every message; on an exactly-once subscription delivery waits
/// for them, refused ack ids are dropped, transient refusals are sent again.
/// </summary>
[TestClass]
public sealed class PubSubSourceExactlyOnceTests
{
    [TestMethod]
    public async Task RunAsync_ExactlyOnce_DeliversOnlyAfterTheReceiptModackSucceeded()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int held = 0;
        var early = new RowsBeforeRelease(release);
        var fake = new FakePubSub(TimeProvider.System) { ExactlyOnce = true, ModAckHold = r => HoldReceipt(r, ref held, release.Task) };
        List<string> ackIds = fake.Enqueue(FakePubSub.Event(1, 1), FakePubSub.Event(2, 2), FakePubSub.Event(3, 3));
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(TimeProvider.System), arrived: early.Arrived).Start();

        await SourceHarness.Eventually(() => Volatile.Read(ref held) == 1, "the receipt modack in flight");
        Assert.AreEqual(0, harness.Rows(), "nothing reaches the graph before its receipt succeeded");
        Assert.AreEqual(0, harness.Source.Status.OutstandingMessages);

        early.Release();

        await SourceHarness.Eventually(() => harness.Rows() == 3, "delivered once the receipt succeeded");
        Assert.AreEqual(0, early.Rows, "nothing reaches the graph before its receipt succeeded");
        ModifyAckDeadlineRequest receipt = fake.ModAcks[0];
        CollectionAssert.AreEqual(ackIds, receipt.AckIds.ToList(), "one receipt for the response");
        Assert.AreEqual(60, receipt.AckDeadlineSeconds, "at least 60 s with exactly-once (the options ask for 10)");
        Assert.AreEqual(0, harness.Counter("streamingfeatures.pubsub.ack.failures"));
    }

    [TestMethod]
    public async Task RunAsync_ExactlyOnceReceiptRefusedForGood_NeverDeliveredAndHoldsNoRoom()
    {
        var fake = new FakePubSub(TimeProvider.System)
        {
            ExactlyOnce = true,
            ModAckFault = (call, _) => call == 1 ? AckResultsTests.ExactlyOnceFailure(new() { ["ack-2"] = "PERMANENT_FAILURE_INVALID_ACK_ID" }) : null,
        };
        fake.Enqueue(FakePubSub.Event(1, 1), FakePubSub.Event(2, 2), FakePubSub.Event(3, 3));
        PubSubSourceOptions options = SourceHarness.Options(TimeProvider.System) with { MaxOutstandingMessages = 2 };
        await using SourceHarness harness = new SourceHarness(fake, options).Start();

        await SourceHarness.Eventually(() => harness.Rows() == 2, "the two accepted messages fill the 2-message budget");
        await SourceHarness.Eventually(() => fake.Pulls >= 2, "the response handled and the next one asked for");

        Assert.AreEqual(2, harness.Rows(), "the refused message is never delivered");
        CollectionAssert.AreEqual(new long[] { 0, 1 }, harness.Chunks().SelectMany(c => Enumerable.Range(0, c.RowCount).Select(r => c.FirstOffset + r)).ToList(), "it gets no offset");
        Assert.AreEqual(3, harness.Source.Status.Received);
        Assert.AreEqual(2, harness.Source.Status.OutstandingMessages, "it holds no flow-control room");
        Assert.AreEqual(1, harness.Counter("streamingfeatures.pubsub.ack.failures{operation=receipt}"));
        Assert.AreEqual(1, fake.ModAcks.Count(m => m.AckIds.Contains("ack-2")), "a permanent refusal is not sent again");
        Assert.Contains("dropped", harness.Source.Status.LastError ?? "");

        harness.Complete(harness.Chunks());

        await SourceHarness.Eventually(() => fake.Acked.SetEquals(["ack-1", "ack-3"]), "the delivered ones acked");
        Assert.AreEqual(0, harness.Source.Status.OutstandingMessages);
        Assert.DoesNotContain("ack-2", fake.Nacked, "no lease is left to hand back");
    }

    [TestMethod]
    public async Task RunAsync_ExactlyOnceReceiptRefusedTransiently_SentAgainThenDelivered()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int calls = 0;
        var early = new RowsBeforeRelease(release);
        var fake = new FakePubSub(TimeProvider.System)
        {
            ExactlyOnce = true,
            ModAckFault = (call, _) => call == 1 ? AckResultsTests.ExactlyOnceFailure(new() { ["ack-1"] = "TRANSIENT_FAILURE_UNORDERED_ACK_ID" }) : null,
            ModAckHold = _ => Interlocked.Increment(ref calls) == 2 ? release.Task : Task.CompletedTask,
        };
        fake.Enqueue(FakePubSub.Event(1, 1), FakePubSub.Event(2, 2), FakePubSub.Event(3, 3));
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(TimeProvider.System), arrived: early.Arrived).Start();

        await SourceHarness.Eventually(() => Volatile.Read(ref calls) == 2, "the refused id sent again after a backoff");
        Assert.AreEqual(0, harness.Rows(), "the response waits for its last receipt");

        early.Release();

        await SourceHarness.Eventually(() => harness.Rows() == 3, "all three delivered");
        Assert.AreEqual(0, early.Rows, "the response waits for its last receipt");
        List<ModifyAckDeadlineRequest> modAcks = fake.ModAcks;
        CollectionAssert.AreEqual(new[] { "ack-1" }, modAcks[1].AckIds.ToList(), "only the refused id is sent again");
        Assert.IsTrue(modAcks.Take(2).All(m => m.AckDeadlineSeconds == 60));
        Assert.AreEqual(0, harness.Counter("streamingfeatures.pubsub.ack.failures"));
    }

    [TestMethod]
    public async Task RunAsync_NotExactlyOnce_ReceiptModackSentButDeliveryDoesNotWaitForIt()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int held = 0;
        var fake = new FakePubSub(TimeProvider.System) { ModAckHold = r => HoldReceipt(r, ref held, release.Task) };
        List<string> ackIds = fake.Enqueue(FakePubSub.Event(1, 1), FakePubSub.Event(2, 2), FakePubSub.Event(3, 3));
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(TimeProvider.System)).Start();

        await SourceHarness.Eventually(() => harness.Rows() == 3 && Volatile.Read(ref held) == 1, "delivered while the receipt is in flight");
        release.SetResult();

        await SourceHarness.Eventually(() => fake.ModAcks.Count == 1, "the receipt modack landed");
        CollectionAssert.AreEqual(ackIds, fake.ModAcks[0].AckIds.ToList());
        Assert.AreEqual(10, fake.ModAcks[0].AckDeadlineSeconds, "the ack deadline of the options");
    }

    [TestMethod]
    public async Task RunAsync_ExactlyOnceTurnedOnBetweenResponses_GatesFromThatResponseOn()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int held = 0;
        var early = new RowsBeforeRelease(release);
        var fake = new FakePubSub(TimeProvider.System) { ModAckHold = r => r.AckDeadlineSeconds == 60 ? HoldReceipt(r, ref held, release.Task) : Task.CompletedTask };
        fake.Enqueue(FakePubSub.Event(1, 1), FakePubSub.Event(2, 2));
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(TimeProvider.System), arrived: early.Arrived).Start();
        await SourceHarness.Eventually(() => harness.Rows() == 2, "the first response, not gated");

        fake.ExactlyOnce = true;
        List<string> later = fake.Enqueue(FakePubSub.Event(3, 3), FakePubSub.Event(4, 4));

        await SourceHarness.Eventually(() => Volatile.Read(ref held) == 1, "the second response's receipt in flight");
        Assert.AreEqual(2, harness.Rows(), "the second response waits for its receipt");
        early.Release();
        await SourceHarness.Eventually(() => harness.Rows() == 4, "then delivered");
        Assert.AreEqual(2, early.Rows, "the second response waits for its receipt");
        CollectionAssert.AreEqual(later, fake.ModAcks.Single(m => m.AckDeadlineSeconds == 60).AckIds.ToList());
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public async Task RunAsync_LargeResponse_ReceiptsInRequestsOfAtMost2500(bool exactlyOnce)
    {
        var fake = new FakePubSub(TimeProvider.System) { ExactlyOnce = exactlyOnce, MessagesPerResponse = 3_000 };
        List<string> ackIds = fake.Enqueue([.. Enumerable.Range(0, 3_000).Select(i => FakePubSub.Event(i, i))]);
        PubSubSourceOptions options = SourceHarness.Options(TimeProvider.System) with { MaxOutstandingMessages = 10_000 };
        await using SourceHarness harness = new SourceHarness(fake, options).Start();

        await SourceHarness.Eventually(() => harness.Rows() == 3_000 && fake.ModAcks.Sum(m => m.AckIds.Count) == 3_000, "all delivered and receipted");

        List<ModifyAckDeadlineRequest> receipts = fake.ModAcks;
        Assert.IsTrue(receipts.All(m => m.AckIds.Count <= 2_500), string.Join(",", receipts.Select(m => m.AckIds.Count)));
        CollectionAssert.AreEquivalent(ackIds, receipts.SelectMany(m => m.AckIds).ToList(), "each exactly once");
        Assert.IsTrue(receipts.All(m => m.AckDeadlineSeconds == (exactlyOnce ? 60 : 10)));
    }

    /// <summary>
    /// The rows that reached the graph before the test let a held receipt modack answer: checked when each chunk
    /// arrives, so a delivery that did not wait for its receipt is seen whenever it happens, without sleeping.
    /// </summary>
    private sealed class RowsBeforeRelease(TaskCompletionSource receipt)
    {
        private int _released;
        private int _rows;

        public int Rows => Volatile.Read(ref _rows);

        public void Arrived(SourceChunk chunk)
        {
            if (Volatile.Read(ref _released) == 0)
            {
                Interlocked.Add(ref _rows, chunk.RowCount);
            }
        }

        /// <summary>Lets the held receipt answer; rows arriving from now on count as after it.</summary>
        public void Release()
        {
            Volatile.Write(ref _released, 1);
            receipt.SetResult();
        }
    }

    /// <summary>Holds receipt modacks (not nacks) until <paramref name="release"/>, counting them.</summary>
    private static Task HoldReceipt(ModifyAckDeadlineRequest request, ref int held, Task release)
    {
        if (request.AckDeadlineSeconds == 0)
        {
            return Task.CompletedTask;
        }

        Interlocked.Increment(ref held);
        return release;
    }
}
