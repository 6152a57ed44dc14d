using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Tests.Pipeline;

/// <summary>A slow or stuck Bigtable pauses the source instead of growing memory, and a stop ends on its deadline.</summary>
[TestClass]
public sealed class PipelineBackpressureTests
{
    private const int ChunkRows = 256;
    private const string Table = "projects/p/instances/i/tables/t";

    public TestContext TestContext { get; set; } = null!;

    private static PipelineOptions Options => new()
    {
        MapParallelism = 2,
        ChunkQueue = 2,
        Batching = new BatchingOptions { MaxRows = ChunkRows, Linger = TimeSpan.FromMilliseconds(5) },
        Writer = new BigtableWriterOptions { MaxRequestsInFlight = 2 },
        Verification = new VerificationOptions { Mode = VerificationMode.None },
        DrainTimeout = TimeSpan.FromSeconds(1),
    };

    [TestMethod]
    public async Task Run_WriterStuck_SourcePausesWithinTheGraphsBounds()
    {
        RepeatingSource source = await RepeatingSource.CreateAsync(ChunkRows);
        var bigtable = new FakeBigtableInvoker { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var pipeline = new IngestionPipeline(source.Synthetic.FeatureSet("t"), source, new BigtableTarget(bigtable, Table), new CollectingDeadLetterSink(), Options);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);

        Task<PipelineResult> run = pipeline.RunAsync(stop.Token);
        while (bigtable.Calls < 2)
        {
            await Task.Delay(20, TestContext.CancellationToken);
        }

        // Once the writer is stuck, wait until the graph makes the source wait on a send, then stop: the run ends on
        // its drain deadline, and what the source handed over in the whole run is final.
        await source.PushedBackAsync().WaitAsync(TimeSpan.FromSeconds(10), TestContext.CancellationToken);
        stop.Cancel();
        var error = await Assert.ThrowsExactlyAsync<PipelineException>(() => run);
        StringAssert.Contains(error.Message, "drain deadline");

        // Map queue (2) + batcher input (2), the batch being filled, the batcher's output slot (1), two requests in
        // flight, and each block's item in hand: a small constant, whatever the source could still send.
        long paused = source.ChunksSent;
        Assert.IsLessThanOrEqualTo(16, paused, $"{paused} chunks were taken while nothing could be written");
        Assert.AreEqual(2, bigtable.Calls, "no more requests than MaxRequestsInFlight");
    }

    [TestMethod]
    public async Task Run_StopRequested_DrainsEverythingInFlightAndReportsStopped()
    {
        RepeatingSource source = await RepeatingSource.CreateAsync(ChunkRows);
        var bigtable = new FakeBigtableInvoker();
        var pipeline = new IngestionPipeline(source.Synthetic.FeatureSet("t"), source, new BigtableTarget(bigtable, Table), new CollectingDeadLetterSink(), Options with { DrainTimeout = TimeSpan.FromSeconds(30) });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);

        Task<PipelineResult> run = pipeline.RunAsync(stop.Token);
        while (source.ChunksSent < 50)
        {
            await Task.Delay(10, TestContext.CancellationToken);
        }

        stop.Cancel();
        PipelineResult result = await run;

        Assert.IsTrue(result.Stopped);
        Assert.AreEqual(source.ChunksSent * ChunkRows, result.Report.RowsRead, "every chunk the source handed over is accounted for");
        Assert.AreEqual(result.Report.RowsRead, result.Report.RowsWritten, "rows in flight at the stop were written, not dropped");
        Assert.AreEqual(result.Report.RowsWritten, bigtable.RowsAcknowledged);
    }
}
