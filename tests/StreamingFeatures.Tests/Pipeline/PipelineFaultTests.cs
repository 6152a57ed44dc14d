using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Tests.Pipeline;

/// <summary>A fatal fault stops the whole graph promptly and names its cause.</summary>
[TestClass]
public sealed class PipelineFaultTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Run_SourceFails_StopsWithSourceNameAndCause()
    {
        var synthetic = new SyntheticSource(new SyntheticSourceOptions { Rows = 1_000_000, ChunkRows = 100 });
        var source = new FailingSource(synthetic, failAfterChunks: 5);
        var pipeline = new IngestionPipeline(
            synthetic.FeatureSet("t"), source, new BigtableTarget(new FakeBigtableInvoker(), "projects/p/instances/i/tables/t"), new CollectingDeadLetterSink(),
            new PipelineOptions { Verification = new VerificationOptions { Mode = VerificationMode.None } });

        var error = await Assert.ThrowsExactlyAsync<PipelineException>(() => pipeline.RunAsync(TestContext.CancellationToken));

        StringAssert.Contains(error.Message, "Source failing-source failed");
        StringAssert.Contains(error.Message, "disk read error at offset 500");
    }

    [TestMethod]
    public void Constructor_SourceLacksFeatureColumn_ThrowsBeforeAnythingRuns()
    {
        var synthetic = new SyntheticSource(new SyntheticSourceOptions { Rows = 10, Features = 2 });
        var featureSet = synthetic.FeatureSet("t");
        featureSet.Features[1].Column = "no_such_column";

        var error = Assert.ThrowsExactly<SchemaMismatchException>(() => new IngestionPipeline(
            featureSet, synthetic, new BigtableTarget(new FakeBigtableInvoker(), "projects/p/instances/i/tables/t"), new CollectingDeadLetterSink()));

        StringAssert.Contains(error.Message, "'no_such_column' is not in the source");
    }

    private sealed class FailingSource(SyntheticSource inner, int failAfterChunks) : IRowSource
    {
        public SourceSchema Schema => inner.Schema;

        public string Description => "failing-source";

        public long? ExpectedRows => inner.ExpectedRows;

        public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
        {
            var buffer = new BufferBlock<SourceChunk>(new DataflowBlockOptions { BoundedCapacity = 1 });
            Task producing = inner.RunAsync(buffer, cancellationToken);
            for (int i = 0; i < failAfterChunks; i++)
            {
                await target.SendAsync(await buffer.ReceiveAsync(cancellationToken), cancellationToken);
            }

            throw new IOException($"disk read error at offset {failAfterChunks * 100}");
        }
    }
}
