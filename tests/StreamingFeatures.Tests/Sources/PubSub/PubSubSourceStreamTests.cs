using Grpc.Core;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Tests.Sources.PubSub;

/// <summary>Streams that break reconnect (offsets go on); streams that cannot work fail the run, naming the subscription.</summary>
[TestClass]
public sealed class PubSubSourceStreamTests
{
    [TestMethod]
    public async Task RunAsync_StreamsBreakAfterDelivering_ReconnectAndOffsetsGoOn()
    {
        var fake = new FakePubSub(TimeProvider.System)
        {
            MessagesPerResponse = 5,
            StreamFaults = call => call switch
            {
                1 => new StreamFault(1, StatusCode.Unavailable),
                2 => new StreamFault(1, StatusCode.Internal),
                3 => new StreamFault(0, StatusCode.DeadlineExceeded),
                _ => null,
            },
        };
        fake.Enqueue([.. Enumerable.Range(0, 20).Select(i => FakePubSub.Event(i, i))]);
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(TimeProvider.System)).Start();

        await SourceHarness.Eventually(() => harness.Rows() == 20, "all twenty rows across reconnects");

        List<SourceChunk> chunks = harness.Chunks();
        CollectionAssert.AreEqual(Enumerable.Range(0, 20).Select(i => (long)i).ToList(), chunks.SelectMany(c => Enumerable.Range(0, c.RowCount).Select(r => c.FirstOffset + r)).ToList(), "one partition, offsets 0..19 in arrival order");
        Assert.IsTrue(chunks.All(c => c.Partition == 0));
        Assert.AreEqual(4, fake.StreamCalls);
        Assert.AreEqual(1, harness.Counter("streamingfeatures.pubsub.stream.reconnects{code=Unavailable}"));
        Assert.AreEqual(1, harness.Counter("streamingfeatures.pubsub.stream.reconnects{code=Internal}"));
        Assert.AreEqual(1, harness.Counter("streamingfeatures.pubsub.stream.reconnects{code=DeadlineExceeded}"));
        Assert.AreEqual(1, harness.Source.Status.ConnectedStreams);
        Assert.Contains("DeadlineExceeded", harness.Source.Status.LastError ?? "");
    }

    [TestMethod]
    public async Task RunAsync_StreamKeepsFailing_RetriesWithBackoffBoundedByTheMaximum()
    {
        var time = new LoopClock();
        var fake = new FakePubSub(time) { StreamFaults = _ => new StreamFault(0, StatusCode.Unavailable) };
        PubSubSourceOptions options = SourceHarness.Options(time) with { InitialReconnectBackoff = TimeSpan.FromMilliseconds(100), MaxReconnectBackoff = TimeSpan.FromSeconds(2) };
        await using SourceHarness harness = new SourceHarness(fake, options).Start();
        await SourceHarness.Eventually(() => fake.StreamCalls == 1, "the first attempt");

        var waits = new List<TimeSpan>();
        for (int attempt = 2; attempt <= 12; attempt++)
        {
            // The backoff before the attempt: a timer armed for at most 3 s, advanced to exactly (the source's other
            // timers, lease renewal and keep-alive, are armed for longer).
            int before = fake.StreamCalls;
            TimeSpan? waited = null;
            await SourceHarness.Eventually(() => fake.StreamCalls > before || (waited = time.NextDue(TimeSpan.FromSeconds(3))) is not null, $"attempt {attempt} must come within the maximum backoff");
            if (waited is { } backoff)
            {
                time.Fake.Advance(backoff);
                await SourceHarness.Eventually(() => fake.StreamCalls > before, $"attempt {attempt} once its backoff is over");
            }

            waits.Add(waited ?? TimeSpan.Zero);
        }

        // The last attempt is over (its stream closed) once the backoff after it is armed.
        await SourceHarness.Eventually(() => time.NextDue(TimeSpan.FromSeconds(3)) is not null, "the backoff after the last attempt");
        Assert.IsTrue(waits.Skip(6).Any(w => w >= TimeSpan.FromMilliseconds(400)), "the backoff grows: " + string.Join(", ", waits));
        Assert.AreEqual(0, harness.Source.Status.ConnectedStreams);
        Assert.IsTrue(harness.Run.IsCompleted is false, "a transient failure never ends the run");
        Assert.IsGreaterThanOrEqualTo(11, harness.Counter("streamingfeatures.pubsub.stream.reconnects{code=Unavailable}"));
    }

    [TestMethod]
    [DataRow(StatusCode.NotFound, "was not found")]
    [DataRow(StatusCode.PermissionDenied, "is not allowed")]
    [DataRow(StatusCode.InvalidArgument, "retrying cannot fix")]
    public async Task RunAsync_PermanentStreamError_FailsNamingTheSubscription(StatusCode code, string expected)
    {
        var fake = new FakePubSub(TimeProvider.System) { StreamFaults = _ => new StreamFault(0, code) };
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(TimeProvider.System, streams: 3)).Start();

        var e = await Assert.ThrowsAsync<PubSubSourceException>(() => harness.Run.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains(SourceHarness.Subscription, e.Message);
        Assert.Contains(expected, e.Message);
        Assert.IsLessThanOrEqualTo(3, fake.StreamCalls, "no retry of a permanent error");
        Assert.AreEqual(e.Message, harness.Source.Status.LastError);
    }

    [TestMethod]
    public async Task RunAsync_Stopped_ReturnsWithoutError()
    {
        var fake = new FakePubSub(TimeProvider.System);
        await using SourceHarness harness = new SourceHarness(fake, SourceHarness.Options(TimeProvider.System, streams: 2)).Start();
        await SourceHarness.Eventually(() => harness.Source.Status.ConnectedStreams == 2, "two streams open");

        await harness.StopAsync();
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.AreEqual(0, harness.Source.Status.ConnectedStreams);
    }
}
