using Google.Cloud.Bigtable.V2;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Tests.Sources;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Tests.Pipeline;

/// <summary>Fan-in: rows from several sources land as if each had declared its columns in the same order.</summary>
[TestClass]
public sealed class PipelineFanInTests
{
    private const string Table = "projects/p/instances/i/tables/user_features";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Run_TwoSourcesOrderColumnsDifferently_EveryRowLandsWithItsOwnValues()
    {
        InputRow[] first = [.. Enumerable.Range(0, 10).Select(i => new InputRow($"a{i}", Clicks: i, Score: i + 0.5, Active: i % 2 == 0, Country: "SE"))];
        InputRow[] second = [.. Enumerable.Range(0, 10).Select(i => new InputRow($"b{i}", Clicks: 100 + i, Score: -i, Active: i % 3 == 0, Country: "NO"))];
        var inOrder = new ListSource("in-order", MapperTestData.Schema, MapperTestData.Chunk(0, 0, first));
        var reversed = new ListSource("reversed", new SourceSchema([.. MapperTestData.Schema.Fields.Reverse()]), Reversed(MapperTestData.Chunk(1, 0, second)));
        var bigtable = new FakeBigtableInvoker { Requests = [] };
        var options = new PipelineOptions { Verification = new VerificationOptions { Mode = VerificationMode.None } };
        var deadLetters = new CollectingDeadLetterSink();
        var pipeline = new IngestionPipeline(MapperTestData.FeatureSet(), new CompositeRowSource(inOrder, reversed), new BigtableTarget(bigtable, Table), deadLetters, options);

        PipelineResult result = await pipeline.RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(20, result.Report.RowsWritten);
        Assert.AreEqual(0, result.Report.DeadLettered);
        RowMapper mapper = MapperTestData.Mapper();
        string[] expected = [.. Entries(mapper, first).Concat(Entries(mapper, second)).Select(e => e.ToString()).Order(StringComparer.Ordinal)];
        string[] written = [.. bigtable.Requests.SelectMany(r => r.Entries).Select(e => e.ToString()).Order(StringComparer.Ordinal)];
        CollectionAssert.AreEqual(expected, written, "each row's key and cells as mapped from the schema's own column order");
    }

    private static IEnumerable<MutateRowsRequest.Types.Entry> Entries(RowMapper mapper, InputRow[] rows)
    {
        using MappedChunk mapped = MapperTestData.Map(mapper, rows);
        return [.. MapperTestData.Decode(mapped.Rows).Entries];
    }

    private static SourceChunk Reversed(SourceChunk chunk) =>
        new(chunk.Partition, chunk.FirstOffset, chunk.RowCount, [.. chunk.Columns.Reverse()]);
}
