using System.Diagnostics;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Telemetry;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Tests.Pipeline;

/// <summary>A slow or stuck Bigtable pauses the source instead of growing memory, and a stop ends on its deadline.</summary>
[TestClass]
public sealed class PipelineBackpressureTests
{
    private const int ChunkRows = 256;
    private const string Table = "projects/p/instances/i/tables/t";
    private const int MaxChunksHeld = 16;

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
        using var metrics = new PipelineMetrics();
        using var queues = new QueueDepths(metrics);
        PipelineOptions options = Options;
        var pipeline = new IngestionPipeline(source.Synthetic.FeatureSet("t"), source, new BigtableTarget(bigtable, Table), new CollectingDeadLetterSink(), options, metrics);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);

        Task<PipelineResult> run = pipeline.RunAsync(stop.Token);

        // With the writer stuck, wait until every bounded queue is full and the source waits on a send the graph cannot
        // take: MaxRequestsInFlight requests in hand, the batcher's output slot taken and its input full (one chunk in
        // hand, waiting to hand its batch on), the map's whole capacity mapped and waiting. A graph with an unbounded
        // link never gets there, so the wait also ends once the source has handed over more than the bound.
        await WaitUntilAsync(
            () =>
            {
                IReadOnlyDictionary<string, int> depths = queues.Read();
                return source.ChunksSent > MaxChunksHeld
                    || (bigtable.Calls == options.Writer.MaxRequestsInFlight
                        && depths.GetValueOrDefault("batch") == options.BatcherQueue - 1 + options.BatchQueue
                        && depths.GetValueOrDefault("map") == options.ChunkQueue
                        && source.WaitingOnSend);
            },
            () => $"{source.ChunksSent} chunks sent, {bigtable.Calls} requests, queues {string.Join(", ", queues.Read())}, source waiting: {source.WaitingOnSend}");

        // Then stop: the run ends on its drain deadline, and what the source handed over in the whole run is final.
        stop.Cancel();
        var error = await Assert.ThrowsExactlyAsync<PipelineException>(() => run);
        StringAssert.Contains(error.Message, "drain deadline");

        // Map queue (2) + batcher input (2), the batch being filled, the batcher's output slot (1), two requests in
        // flight, and each block's item in hand: a small constant, whatever the source could still send.
        long paused = source.ChunksSent;
        Assert.IsLessThanOrEqualTo(MaxChunksHeld, paused, $"{paused} chunks were taken while nothing could be written");
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

    /// <summary>Polls <paramref name="condition"/>; a graph that never gets there fails the test, saying where it stood.</summary>
    private async Task WaitUntilAsync(Func<bool> condition, Func<string> state)
    {
        long started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(30))
            {
                Assert.Fail($"The graph did not fill within 30 s: {state()}");
            }

            await Task.Delay(10, TestContext.CancellationToken);
        }
    }
}
