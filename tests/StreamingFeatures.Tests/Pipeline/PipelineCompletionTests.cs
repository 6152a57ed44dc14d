using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Tests.Pipeline;

/// <summary>
/// Rows are reported done while the source is still open: a Pub/Sub source acks on the report and stops pulling at
/// its flow-control bound until it comes, so a report held back for a fuller read-back job would stall the stream.
/// </summary>
[TestClass]
public sealed class PipelineCompletionTests
{
    private const string Table = "projects/p/instances/i/tables/t";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(VerificationMode.None)]
    [DataRow(VerificationMode.Sampled)]
    public async Task Run_FewRowsThenQuiet_ReportsEveryRowDoneBeforeTheSourceEnds(VerificationMode mode)
    {
        var source = new QuietAfterSource(new SyntheticSource(new SyntheticSourceOptions { Rows = 30, ChunkRows = 10, Partitions = 1 }));
        var completion = new RecordingCompletion();
        var options = new PipelineOptions
        {
            Batching = new BatchingOptions { MaxRows = 100, Linger = TimeSpan.FromMilliseconds(5) },

            // A sample rate so small that no row is read back: the job holds ranges and no keys.
            Verification = new VerificationOptions { Mode = mode, SampleRate = 0.000001 },
        };
        var pipeline = new IngestionPipeline(
            source.Synthetic.FeatureSet("t"), source, new BigtableTarget(new FakeBigtableInvoker(), Table), new CollectingDeadLetterSink(), options, completion: completion);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);

        Task<PipelineResult> run = pipeline.RunAsync(stop.Token);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(20));
        while (completion.Rows < 30 && !wait.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
        }

        Assert.AreEqual(30, completion.Rows, "all 30 rows reported done while the source stayed open");
        Assert.IsFalse(run.IsCompleted, "the source is still open");
        stop.Cancel();
        PipelineResult result = await run;
        Assert.AreEqual(30, result.Report.RowsWritten);
        Assert.AreEqual(30, completion.Rows, "nothing reported twice");
    }

    private sealed class RecordingCompletion : IRowCompletion
    {
        private long _rows;

        public long Rows => Interlocked.Read(ref _rows);

        public void Complete(IReadOnlyList<SourceRange> ranges)
        {
            foreach (SourceRange range in ranges)
            {
                Interlocked.Add(ref _rows, range.Count);
            }
        }
    }

    /// <summary>Sends its rows, then stays open without sending more, like a quiet subscription.</summary>
    private sealed class QuietAfterSource(SyntheticSource synthetic) : IRowSource
    {
        public SyntheticSource Synthetic => synthetic;

        public SourceSchema Schema => synthetic.Schema;

        public string Description => "quiet";

        public long? ExpectedRows => null;

        public long FirstOffset(int partition) => synthetic.FirstOffset(partition);

        public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
        {
            await synthetic.RunAsync(target, cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
