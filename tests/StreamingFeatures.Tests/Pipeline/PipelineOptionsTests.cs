using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Tests.Pipeline;

/// <summary>The graph's bounds: named, validated once, and copied when the graph is built.</summary>
[TestClass]
public sealed class PipelineOptionsTests
{
    private const string Table = "projects/p/instances/i/tables/t";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Run_CallerChangesOptionsAfterConstruction_GraphRunsOnTheCopy()
    {
        var synthetic = new SyntheticSource(new SyntheticSourceOptions { Rows = 1_000, ChunkRows = 100, Partitions = 1 });
        var batching = new BatchingOptions { MaxRows = 100, Linger = TimeSpan.FromSeconds(10) };
        var options = new PipelineOptions { Batching = batching, Verification = new VerificationOptions { Mode = VerificationMode.None } };
        var bigtable = new FakeBigtableInvoker();
        var pipeline = new IngestionPipeline(synthetic.FeatureSet("t"), synthetic, new BigtableTarget(bigtable, Table), new CollectingDeadLetterSink(), options);

        // A binder or a careless caller writing through the init accessors, after the graph took its options.
        Mutate(batching, nameof(BatchingOptions.MaxRows), 1);
        Mutate(options, nameof(PipelineOptions.BatchQueue), 0);
        Mutate(options, nameof(PipelineOptions.Verification), new VerificationOptions { Mode = VerificationMode.Full });

        PipelineResult result = await pipeline.RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(1_000, result.Report.RowsWritten);
        Assert.AreEqual(10, bigtable.Calls, "batches of the 100 rows the pipeline was built with, not of 1");
        Assert.AreEqual(VerificationMode.None, result.Report.Mode);
    }

    [TestMethod]
    public void Validate_QueuesOutOfRange_NamesEachSettingValueAndRange()
    {
        var options = new PipelineOptions { BatcherQueue = 0, BatchQueue = 65, SettleQueue = 0 };

        var error = Assert.ThrowsExactly<ArgumentException>(options.Validate);

        StringAssert.Contains(error.Message, "BatcherQueue is 0; allowed 1 to 1024.");
        StringAssert.Contains(error.Message, "BatchQueue is 65; allowed 1 to 64.");
        StringAssert.Contains(error.Message, "SettleQueue is 0; allowed 1 to 64.");
    }

    private static void Mutate<T>(object options, string property, T value) =>
        options.GetType().GetProperty(property)!.SetValue(options, value);
}
