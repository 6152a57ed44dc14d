using System.Threading.Tasks.Dataflow;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.BigQuerySource;

/// <summary>
/// The source reading the same emulator tables as Arrow and as Avro: the same schema, the same rows at the same
/// partitions and offsets, through broken streams and a resumed session.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class BigQueryStorageSourceAvroTests
{
    private const string Project = "avro-source";
    private const string Dataset = "features";
    private const int Rows = 30_000;

    private static readonly SyntheticSource Synthetic = new(new SyntheticSourceOptions { Rows = Rows, Features = 4 });
    private static BigQueryStorageEmulator s_emulator = null!;
    private static GrpcChannel s_channel = null!;

    public TestContext TestContext { get; set; } = null!;

    private static CallInvoker Invoker => s_channel.CreateCallInvoker();

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        s_emulator = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), context.CancellationToken);
        s_emulator.AddTable(Project, Dataset, "all_types", AllTypesTable.Source(nulls: true, eventBase: 1_700_000_000_000_000));
        s_channel = s_emulator.CreateChannel();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        s_channel.Dispose();
        await s_emulator.DisposeAsync();
    }

    [TestMethod]
    public async Task RunAsync_SyntheticTableAsAvroAndArrow_IdenticalRowsAtEveryOffset()
    {
        string table = AddSyntheticTable();

        BigQueryStorageSource avro = await OpenAsync(table, BigQueryDataFormat.Avro, streams: 4);
        BigQueryStorageSource arrow = await OpenAsync(table, BigQueryDataFormat.Arrow, streams: 4);

        Assert.AreEqual(BigQueryDataFormat.Avro, avro.DataFormat);
        Assert.IsNotNull(avro.AvroSchema);
        Assert.IsTrue(avro.ArrowSchema.IsEmpty);
        StringAssert.Contains(avro.Description, "Avro");
        AssertSameSchema(arrow.Schema, avro.Schema);
        Assert.AreEqual(arrow.ExpectedRows, avro.ExpectedRows);
        ChunkComparison.AssertSameRows(await ReadAllAsync(arrow), await ReadAllAsync(avro), Rows);
    }

    [TestMethod]
    public async Task RunAsync_EveryTypeAsAvroAndArrow_IdenticalSchemaAndValues()
    {
        string table = $"projects/{Project}/datasets/{Dataset}/tables/all_types";

        BigQueryStorageSource avro = await OpenAsync(table, BigQueryDataFormat.Avro, streams: 2);
        BigQueryStorageSource arrow = await OpenAsync(table, BigQueryDataFormat.Arrow, streams: 2);

        AssertSameSchema(AllTypesTable.Schema(), avro.Schema);
        ChunkComparison.AssertSameRows(await ReadAllAsync(arrow), await ReadAllAsync(avro), AllTypesTable.Rows);
    }

    [TestMethod]
    [DataRow(BigQueryFaultKind.Unavailable)]
    [DataRow(BigQueryFaultKind.ResetStream)]
    public async Task RunAsync_AvroStreamBrokenAfterRows_ResumesAtTheOffsetWithTheSameRowsAsArrow(BigQueryFaultKind kind)
    {
        string table = AddSyntheticTable();
        List<SourceChunk> expected = await ReadAllAsync(await OpenAsync(table, BigQueryDataFormat.Arrow, streams: 2));
        s_emulator.InjectFault(new BigQueryReadFault(kind) { Table = table, Stream = 1, AfterRows = 1_500 });
        BigQueryStorageSource avro = await OpenAsync(table, BigQueryDataFormat.Avro, streams: 2);

        List<SourceChunk> chunks = await ReadAllAsync(avro);

        Assert.AreEqual(1, avro.Retries, "one break, one resume");
        if (kind == BigQueryFaultKind.Unavailable)
        {
            // A reset may also drop responses already sent, so only a clean status pins the resume offset.
            Assert.IsTrue(chunks.Any(c => c.Partition == 1 && c.FirstOffset == 1_500), "stream 1 resumed at offset 1,500");
        }
        ChunkComparison.AssertSameRows(expected, chunks, Rows);
    }

    [TestMethod]
    public async Task ResumeAvro_RecordedSessionAndOffsets_GoesOnWithTheRowsAfterThem()
    {
        string table = AddSyntheticTable();
        BigQueryStorageSource first = await OpenAsync(table, BigQueryDataFormat.Avro, streams: 3);
        List<SourceChunk> all = await ReadAllAsync(first);
        var offsets = new Dictionary<int, long> { [0] = 1_000, [2] = 4_321 };

        BigQueryStorageSource resumed = BigQueryStorageSource.ResumeAvro(Invoker, Options(table, BigQueryDataFormat.Avro, 3) with { StartOffsets = offsets }, first.Session, first.AvroSchema!);
        List<SourceChunk> rest = await ReadAllAsync(resumed);

        AssertSameSchema(first.Schema, resumed.Schema);
        Assert.AreEqual(1_000, rest.Where(c => c.Partition == 0).Min(c => c.FirstOffset));
        Assert.AreEqual(4_321, rest.Where(c => c.Partition == 2).Min(c => c.FirstOffset));
        Assert.AreEqual(0, rest.Where(c => c.Partition == 1).Min(c => c.FirstOffset));
        ChunkComparison.AssertSameRows(all, rest, Rows - 1_000 - 4_321, skipBefore: offsets);
    }

    private static void AssertSameSchema(SourceSchema expected, SourceSchema actual) => CollectionAssert.AreEqual(
        expected.Fields.Select(f => (f.Name, f.Type, f.Nullable)).ToList(),
        actual.Fields.Select(f => (f.Name, f.Type, f.Nullable)).ToList());

    private static string AddSyntheticTable()
    {
        string name = $"s_{Guid.NewGuid():N}"[..20];
        s_emulator.AddTable(Project, Dataset, name, Synthetic);
        return $"projects/{Project}/datasets/{Dataset}/tables/{name}";
    }

    private static BigQuerySourceOptions Options(string table, BigQueryDataFormat format, int streams) =>
        new() { Table = table, DataFormat = format, MaxStreamCount = streams, InitialBackoff = TimeSpan.FromMilliseconds(10) };

    private Task<BigQueryStorageSource> OpenAsync(string table, BigQueryDataFormat format, int streams) =>
        BigQueryStorageSource.OpenAsync(Invoker, Options(table, format, streams), TestContext.CancellationToken);

    private async Task<List<SourceChunk>> ReadAllAsync(BigQueryStorageSource source)
    {
        var buffer = new BufferBlock<SourceChunk>();
        await source.RunAsync(buffer, TestContext.CancellationToken);
        buffer.Complete();
        return buffer.TryReceiveAll(out IList<SourceChunk>? chunks) ? [.. chunks] : [];
    }
}
