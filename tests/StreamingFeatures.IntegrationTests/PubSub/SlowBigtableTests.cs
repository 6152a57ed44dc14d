using System.Diagnostics;
using Google.Cloud.PubSub.V1;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Telemetry;
using StreamingFeatures.Verification;

namespace StreamingFeatures.IntegrationTests.PubSub;

/// <summary>
/// Ingestion against a Bigtable emulator whose answers come back later than the ack deadline (a latency proxy in
/// front of it): flow control holds, leases are extended from receipt, nothing the source has read is redelivered,
/// everything lands.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed partial class SlowBigtableTests
{
    /// <summary>Longer than the ack deadline: every message waits past it before its row is written.</summary>
    private static readonly TimeSpan Latency = TimeSpan.FromSeconds(11);
    private static readonly TimeSpan AckDeadline = TimeSpan.FromSeconds(10);

    public TestContext TestContext { get; set; } = null!;

    /// <summary>
    /// The whole backlog fits the flow-control bound: every message is leased from receipt, waits past its first
    /// deadline for Bigtable, is extended, written once and acked once.
    /// </summary>
    [TestMethod]
    public Task Ingest_BigtableSlowerThanAckDeadlineBacklogWithinFlowBound_LeasesExtendedNothingRedeliveredAllLand() =>
        IngestThroughSlowBigtableAsync(events: 500, maxOutstanding: 500);

    /// <summary>
    /// A backlog four times the bound: the source admits the bound and the rest waits its turn, for rounds of the
    /// latency each. The emulator streams the whole backlog at once (it ignores StreamingPull's
    /// max_outstanding_messages, which real Pub/Sub honours per stream), so messages still unread in the stream when
    /// their deadline passes come back, as they would to Google's clients (which, like ours, lease what they have read
    /// and stop reading while flow control is full). Every extra receipt must be such a redelivery, and each event
    /// lands once with its values.
    /// </summary>
    [TestMethod]
    public Task Ingest_BigtableSlowerThanAckDeadlineBacklogBeyondFlowBound_BoundHoldsLeasesExtendedAllLand() =>
        IngestThroughSlowBigtableAsync(events: 2_000, maxOutstanding: 500, unreadMayLapse: true);

    private async Task IngestThroughSlowBigtableAsync(int events, long maxOutstanding, bool unreadMayLapse = false)
    {
        CancellationToken cancellationToken = TestContext.CancellationToken;
        await using IngestWorkspace workspace = await IngestWorkspace.CreateAsync((int)AckDeadline.TotalSeconds, cancellationToken);
        string subscription = await CreateCountingSubscriptionAsync(workspace, cancellationToken);
        try
        {
            await workspace.PublishAsync(KnownEvents.Payloads(events), cancellationToken);
            await using LatencyProxy proxy = LatencyProxy.Start(EmulatorFixture.Bigtable.Endpoint, Latency);
            using GrpcChannel slowBigtable = GrpcChannel.ForAddress("http://" + proxy.Endpoint, new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure });
            using var metrics = new PipelineMetrics();
            using var counters = new SourceCounters(metrics.Meter);
            PubSubSourceOptions options = workspace.Options() with { Subscription = subscription, MaxOutstandingMessages = maxOutstanding, AckDeadline = AckDeadline };
            await using PubSubSource source = PubSubSource.Create(workspace.PubSubInvoker, options, workspace.FeatureSet, metrics);
            var pipeline = new IngestionPipeline(
                workspace.FeatureSet,
                source,
                new BigtableTarget(slowBigtable.CreateCallInvoker(), workspace.TableName),
                source.DeadLetters,
                new PipelineOptions { MapParallelism = 2, Verification = new VerificationOptions { Mode = VerificationMode.None } },
                completion: source);

            var clock = Stopwatch.StartNew();
            // Acks of redelivered copies count too, so all events are in once the acks less the redeliveries reach them.
            (PipelineResult result, long outstandingPeak) = await RunSampledAsync(pipeline, source, status => status.Acked - counters.Redelivered >= events, TimeSpan.FromSeconds(150), cancellationToken);
            TimeSpan took = clock.Elapsed;

            PubSubSourceStatus status = source.Status;
            string context = $"{status}; {counters}; outstanding peak {outstandingPeak}; took {took.TotalSeconds:0.0} s";
            Assert.IsTrue(result.Report.IsClean, result.Report.ToString());
            Assert.IsLessThanOrEqualTo(maxOutstanding, outstandingPeak, "flow control: never more outstanding than the bound; " + context);
            Assert.AreEqual(maxOutstanding, outstandingPeak, "the bound was reached (Bigtable, not Pub/Sub, set the pace); " + context);
            Assert.IsGreaterThan(0, proxy.DelayedBytes, "Bigtable's answers went through the delay");
            Assert.IsGreaterThanOrEqualTo(Latency * (events / maxOutstanding), took, "each round of the bound waits out the latency; " + context);
            Assert.IsGreaterThanOrEqualTo(events, counters.LeaseExtensions, "every message's lease was extended while it waited on Bigtable; " + context);
            Assert.AreEqual(0, counters.LeasesExpired, context);
            if (unreadMayLapse)
            {
                Assert.AreEqual(status.Received - events, counters.Redelivered, "every extra receipt is a redelivery; " + context);
                Assert.IsGreaterThanOrEqualTo(events, status.Acked, context);
            }
            else
            {
                Assert.AreEqual(0, counters.Redelivered, "no message came again with a delivery attempt above 1; " + context);
                Assert.AreEqual(events, status.Received, "each event delivered once; " + context);
                Assert.AreEqual(events, status.Acked, context);
                Assert.AreEqual(0, status.Nacked, context);
            }

            await KnownEvents.AssertAllLandedAsync(workspace, events, cancellationToken);
        }
        finally
        {
            await new Subscriber.SubscriberClient(workspace.PubSubInvoker).DeleteSubscriptionAsync(new DeleteSubscriptionRequest { Subscription = subscription });
        }
    }

    /// <summary>
    /// Runs the pipeline until <paramref name="done"/> holds and nothing is outstanding (or the timeout passes),
    /// sampling the source's outstanding messages all along; then stops it and closes the source.
    /// </summary>
    private static async Task<(PipelineResult Result, long MaxOutstanding)> RunSampledAsync(IngestionPipeline pipeline, PubSubSource source, Func<PubSubSourceStatus, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<PipelineResult> run = pipeline.RunAsync(stop.Token);
        long maxOutstanding = 0;
        var clock = Stopwatch.StartNew();
        while (!run.IsCompleted && clock.Elapsed < timeout)
        {
            PubSubSourceStatus status = source.Status;
            maxOutstanding = Math.Max(maxOutstanding, status.OutstandingMessages);
            if (done(status) && status.OutstandingMessages == 0)
            {
                break;
            }

            await Task.Delay(10, cancellationToken);
        }

        await stop.CancelAsync();
        PipelineResult result = await run;
        await source.CloseAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return (result, maxOutstanding);
    }
}
