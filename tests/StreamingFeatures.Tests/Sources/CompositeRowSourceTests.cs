using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Tests.Sources;

[TestClass]
public sealed class CompositeRowSourceTests
{
    private static readonly SourceSchema KeyThenValue = new([new SourceField("key", ColumnType.String), new SourceField("value", ColumnType.Int64)]);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Run_SecondSourceOrdersColumnsDifferently_SendsItsChunksInTheFirstsLayout()
    {
        var first = new ListSource("first", KeyThenValue, Chunk(0, KeyThenValue, "a", 1));
        var valueThenKeyThenExtra = new SourceSchema(
            [new SourceField("value", ColumnType.Int64), new SourceField("extra", ColumnType.Bool), new SourceField("key", ColumnType.String)]);
        var second = new ListSource("second", valueThenKeyThenExtra, Chunk(1, valueThenKeyThenExtra, "b", 2)) { Start = 7 };
        var composite = new CompositeRowSource(first, second);
        var target = new BufferBlock<SourceChunk>();

        await composite.RunAsync(target, TestContext.CancellationToken);

        Assert.IsTrue(target.TryReceiveAll(out IList<SourceChunk>? chunks));
        SourceChunk fromSecond = chunks.Single(c => c.Partition == 1);
        Assert.AreEqual(2, fromSecond.Columns.Count);
        Assert.AreEqual("b", fromSecond.Columns[0].Describe(0));
        Assert.AreEqual(2, ((Int64Column)fromSecond.Columns[1]).Values[0]);
        Assert.AreSame(KeyThenValue, composite.Schema);
        Assert.AreEqual(2, composite.ExpectedRows);
        Assert.AreEqual(7, composite.FirstOffset(1), "partition 1 came from the second source");
    }

    [TestMethod]
    public void Constructor_SourceLacksAColumnOrTypesDiffer_NamesEveryProblem()
    {
        var other = new SourceSchema([new SourceField("value", ColumnType.Float64)]);

        var error = Assert.ThrowsExactly<ArgumentException>(() => new CompositeRowSource(new ListSource("first", KeyThenValue), new ListSource("other", other)));

        StringAssert.Contains(error.Message, "other has no column 'key'.");
        StringAssert.Contains(error.Message, "other has column 'value' as Float64, the first source as Int64.");
    }

    [TestMethod]
    public async Task Run_OneSourceFails_StopsTheOthersAndRethrowsItsError()
    {
        var failing = new ListSource("failing", KeyThenValue, Chunk(1, KeyThenValue, "a", 1)) { Error = new IOException("disk read error") };
        var composite = new CompositeRowSource(new EndlessSource(), failing);

        var error = await Assert.ThrowsExactlyAsync<IOException>(() => composite.RunAsync(new BufferBlock<SourceChunk>(), TestContext.CancellationToken));

        Assert.AreEqual("disk read error", error.Message);
    }

    [TestMethod]
    public async Task Run_TwoSourcesSendOnePartition_FailsNamingBoth()
    {
        var composite = new CompositeRowSource(
            new ListSource("first", KeyThenValue, Chunk(0, KeyThenValue, "a", 1)),
            new ListSource("second", KeyThenValue, Chunk(0, KeyThenValue, "b", 2)));

        var error = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => composite.RunAsync(new BufferBlock<SourceChunk>(), TestContext.CancellationToken));

        StringAssert.Contains(error.Message, "Partition 0 comes from both");
    }

    private static SourceChunk Chunk(int partition, SourceSchema schema, string key, long value) =>
        new(partition, 0, 1, [.. schema.Fields.Select(f => f.Type switch
        {
            ColumnType.String => BinaryColumn.FromStrings([key]),
            ColumnType.Int64 => new Int64Column([value], 1),
            _ => (ColumnVector)new BoolColumn([true], 1),
        })]);

    /// <summary>Sends until it is refused or stopped.</summary>
    private sealed class EndlessSource : IRowSource
    {
        public SourceSchema Schema => KeyThenValue;

        public string Description => "endless";

        public long? ExpectedRows => null;

        public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
        {
            while (await target.SendAsync(Chunk(0, KeyThenValue, "e", 0), cancellationToken))
            {
            }
        }
    }
}
