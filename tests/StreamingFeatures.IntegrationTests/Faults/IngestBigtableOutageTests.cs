using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.IntegrationTests.PubSub;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Verification;

namespace StreamingFeatures.IntegrationTests.Faults;

/// <summary>
/// Ingestion from Pub/Sub with Bigtable behind a proxy that refuses, resets or stalls connections for a few seconds
/// while events are written and read back: the pipeline rides through, every event lands once, verified and acked.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class IngestBigtableOutageTests
{
    private const int Events = 20_000;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(ProxyMode.Refuse)]
    [DataRow(ProxyMode.Reset)]
    [DataRow(ProxyMode.Stall)]
    public async Task Ingest_BigtableOutageOfThreeSeconds_EveryEventLandsVerified(ProxyMode mode)
    {
        CancellationToken cancellationToken = TestContext.CancellationToken;
        await using IngestWorkspace workspace = await IngestWorkspace.CreateAsync(ackDeadlineSeconds: 10, cancellationToken);
        await workspace.PublishAsync(KnownEvents.Payloads(Events), cancellationToken);
        await using var proxy = FaultProxy.Start(EmulatorFixture.Bigtable.Endpoint);
        using GrpcChannel bigtable = GrpcChannel.ForAddress("http://" + proxy.Endpoint, new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure });
        await using PubSubSource source = workspace.CreateSource();
        var pipeline = new IngestionPipeline(
            workspace.FeatureSet,
            source,
            new BigtableTarget(bigtable.CreateCallInvoker(), workspace.TableName),
            source.DeadLetters,
            new PipelineOptions { MapParallelism = 2, Verification = new VerificationOptions { Mode = VerificationMode.Full, ReadBatchRows = 200 } },
            completion: source);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<PipelineResult> run = pipeline.RunAsync(stop.Token);

        await WaitAsync(() => proxy.Forwarded > 200_000 || run.IsCompleted, "writes through the proxy", cancellationToken);
        long ackedBefore = source.Status.Acked;
        await proxy.OutageAsync(mode, TimeSpan.FromSeconds(3), cancellationToken);
        await WaitAsync(() => source.Status.Acked >= Events || run.IsCompleted, "every event acked", cancellationToken);
        await stop.CancelAsync();
        PipelineResult result = await run;
        await source.CloseAsync(TimeSpan.FromSeconds(30), cancellationToken);

        Assert.IsLessThan(Events, ackedBefore, "the outage came while events were still in flight");
        Assert.AreEqual(Events, source.Status.Acked, source.Status.ToString());
        Assert.AreEqual(0, result.Report.DeadLettered, result.Report.ToString());
        Assert.AreEqual(0, result.Report.Missing + result.Report.Changed, result.Report.ToString());
        Assert.AreEqual(result.Report.RowsWritten, result.Report.RowsVerified, result.Report.ToString());
        await KnownEvents.AssertAllLandedAsync(workspace, Events, cancellationToken);
    }

    private static async Task WaitAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.IsLessThan(TimeSpan.FromSeconds(90), clock.Elapsed, "no " + what + " within 90 s");
            await Task.Delay(20, cancellationToken);
        }
    }
}
