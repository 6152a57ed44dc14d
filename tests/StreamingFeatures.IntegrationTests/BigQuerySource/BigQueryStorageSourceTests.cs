using System.Buffers.Text;
using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.BigQuerySource;

/// <summary>
/// The BigQuery Storage Read source against the built-in emulator: every value checked against the synthetic source
/// that generated the table, every row seen exactly once, each at the offset its stream gives it.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class BigQueryStorageSourceTests
{
    private const string Project = "source-project";
    private const string Dataset = "features";
    private const int Rows = 30_000;
    private const int Features = 4;

    private static readonly SyntheticSource Synthetic = new(new SyntheticSourceOptions { Rows = Rows, Features = Features });
    private static BigQueryStorageEmulator s_emulator = null!;
    private static GrpcChannel s_channel = null!;
    private static int s_tables;

    public TestContext TestContext { get; set; } = null!;

    private static CallInvoker Invoker => s_channel.CreateCallInvoker();

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        s_emulator = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), context.CancellationToken);
        s_channel = s_emulator.CreateChannel();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        s_channel.Dispose();
        await s_emulator.DisposeAsync();
    }

    [TestMethod]
    public async Task RunAsync_FourStreams_SendsEveryRowOnceWithTheSourceValues()
    {
        string table = AddTable();
        BigQueryStorageSource source = await OpenAsync(table, streams: 4);

        List<SourceChunk> chunks = await ReadAllAsync(source);

        Assert.HasCount(4, source.Session.Streams);
        Assert.AreEqual(Rows, source.ExpectedRows);
        Assert.IsNotNull(source.Session.SnapshotTime, "the session's snapshot is recorded for a resume");
        StringAssert.Contains(source.Description, table);
        AssertEveryRowOnce(chunks, new bool[Rows]);
    }

    [TestMethod]
    public async Task RunAsync_UnavailableAfterRows_ResumesAtTheOffsetWithoutLossOrRepeat()
    {
        string table = AddTable();
        s_emulator.InjectFault(new BigQueryReadFault(BigQueryFaultKind.Unavailable) { Table = table, Stream = 1, AfterRows = 1_500 });
        BigQueryStorageSource source = await OpenAsync(table, streams: 2);

        List<SourceChunk> chunks = await ReadAllAsync(source);

        AssertEveryRowOnce(chunks, new bool[Rows]);
        Assert.AreEqual(1, source.Retries);
        Assert.IsTrue(chunks.Any(c => c.Partition == 1 && c.FirstOffset == 1_500), "stream 1 resumed at offset 1,500");
    }

    [TestMethod]
    public async Task RunAsync_ResetStreamAfterRows_ResumesAtTheOffsetWithoutLossOrRepeat()
    {
        string table = AddTable();
        s_emulator.InjectFault(new BigQueryReadFault(BigQueryFaultKind.ResetStream) { Table = table, Stream = 0, AfterRows = 2_048, Times = 2 });
        BigQueryStorageSource source = await OpenAsync(table, streams: 3);

        List<SourceChunk> chunks = await ReadAllAsync(source);

        AssertEveryRowOnce(chunks, new bool[Rows]);
        Assert.AreEqual(2, source.Retries, "both resets resumed");
    }

    [TestMethod]
    public async Task RunAsync_ResourceExhaustedWithRetryInfo_WaitsAtLeastTheDelay()
    {
        var delay = TimeSpan.FromMilliseconds(400);
        string table = AddTable();
        s_emulator.InjectFault(new BigQueryReadFault(BigQueryFaultKind.ResourceExhausted) { Table = table, Times = 1, RetryDelay = delay });
        BigQueryStorageSource source = await OpenAsync(table, streams: 1);

        var clock = Stopwatch.StartNew();
        List<SourceChunk> chunks = await ReadAllAsync(source);

        Assert.IsGreaterThanOrEqualTo(delay, clock.Elapsed);
        Assert.AreEqual(1, source.Retries);
        AssertEveryRowOnce(chunks, new bool[Rows]);
    }

    [TestMethod]
    public async Task OpenAsync_UnknownTable_ThrowsNamingTheTableBeforeAnyRow()
    {
        string table = $"projects/{Project}/datasets/{Dataset}/tables/missing";

        BigQuerySourceException error = await Assert.ThrowsExactlyAsync<BigQuerySourceException>(() =>
            BigQueryStorageSource.OpenAsync(Invoker, new BigQuerySourceOptions { Table = table }, TestContext.CancellationToken));

        StringAssert.Contains(error.Message, table);
        Assert.AreEqual(StatusCode.NotFound, ((RpcException)error.InnerException!).StatusCode);
    }

    [TestMethod]
    public async Task RunAsync_StartOffsets_ResumesEachStreamMidStream()
    {
        string table = AddTable();
        BigQueryStorageSource full = await OpenAsync(table, streams: 3);
        Dictionary<int, long> firstRows = FirstRows(await ReadAllAsync(full));
        var offsets = new Dictionary<int, long> { [0] = 1_000, [2] = 4_321 };
        BigQueryStorageSource resumed = await OpenAsync(table, streams: 3);

        List<SourceChunk> chunks = await ReadAllAsync(resumed, offsets);

        var seen = new bool[Rows];
        for (int p = 0; p < 3; p++)
        {
            for (long row = firstRows[p]; row < firstRows[p] + offsets.GetValueOrDefault(p); row++)
            {
                seen[row] = true;
            }
        }

        Assert.IsTrue(chunks.Where(c => c.Partition == 0).Min(c => c.FirstOffset) == 1_000);
        AssertEveryRowOnce(chunks, seen);
    }

    [TestMethod]
    public async Task OpenAsync_SyntheticTable_SchemaFeedsTheRowMapperLikeTheSyntheticSource()
    {
        string table = AddTable();
        BigQueryStorageSource source = await OpenAsync(table, streams: 2);

        _ = RowMapper.Create(Synthetic.FeatureSet("t"), source.Schema, 8 << 20);

        CollectionAssert.AreEqual(
            Synthetic.Schema.Fields.Select(f => (f.Name, f.Type)).ToList(),
            source.Schema.Fields.Select(f => (f.Name, f.Type)).ToList());
    }

    [TestMethod]
    public async Task RunAsync_SplitLogGivesAPartitionNeverOffered_StopsNamingIt()
    {
        BigQueryStorageSource source = await OpenAsync(AddTable(), streams: 2);
        source.Rebalancer = new LateGiving(given: 2, source.Session.Streams);

        BigQuerySourceException error = await Assert.ThrowsExactlyAsync<BigQuerySourceException>(() => ReadAllAsync(source));

        StringAssert.Contains(error.Message, "partition(s) 2");
        StringAssert.Contains(error.Message, "rerun the shard");
    }

    [TestMethod]
    public void Validate_SeveralBadSettings_ReportsEveryOne()
    {
        var options = new BigQuerySourceOptions { Table = "datasets/x", MaxConcurrentStreams = 0, MaxReadAttempts = 0 };

        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(options.Validate);

        StringAssert.Contains(error.Message, "Table");
        StringAssert.Contains(error.Message, "MaxConcurrentStreams");
        StringAssert.Contains(error.Message, "MaxReadAttempts");
    }

    private static string AddTable()
    {
        string name = $"t{Interlocked.Increment(ref s_tables)}_{Guid.NewGuid():N}"[..20];
        s_emulator.AddTable(Project, Dataset, name, Synthetic);
        return $"projects/{Project}/datasets/{Dataset}/tables/{name}";
    }

    private Task<BigQueryStorageSource> OpenAsync(string table, int streams) => BigQueryStorageSource.OpenAsync(
        Invoker,
        new BigQuerySourceOptions { Table = table, MaxStreamCount = streams, InitialBackoff = TimeSpan.FromMilliseconds(10) },
        TestContext.CancellationToken);

    private async Task<List<SourceChunk>> ReadAllAsync(BigQueryStorageSource source, IReadOnlyDictionary<int, long>? offsets = null)
    {
        var buffer = new BufferBlock<SourceChunk>();
        await source.RunAsync(buffer, offsets, TestContext.CancellationToken);
        buffer.Complete();
        return buffer.TryReceiveAll(out IList<SourceChunk>? chunks) ? [.. chunks] : [];
    }

    /// <summary>Sequential keys make entity n row n, so each row names itself.</summary>
    private static long RowOf(BinaryColumn entities, int index)
    {
        Assert.IsTrue(Utf8Parser.TryParse(entities.Get(index)["user-".Length..], out long row, out _));
        return row;
    }

    private static Dictionary<int, long> FirstRows(List<SourceChunk> chunks) => chunks
        .Where(c => c.FirstOffset == 0)
        .ToDictionary(c => c.Partition, c => RowOf((BinaryColumn)c.Columns[0], 0));

    /// <summary>
    /// Every row not already in <paramref name="seen"/> arrives exactly once with the source's values, and each
    /// stream is a contiguous range of the table, so offset o of partition p is that stream's first row plus o.
    /// </summary>
    private static void AssertEveryRowOnce(List<SourceChunk> chunks, bool[] seen)
    {
        var streamStart = new Dictionary<int, long>();
        foreach (SourceChunk chunk in chunks)
        {
            var entities = (BinaryColumn)chunk.Columns[0];
            var times = (Int64Column)chunk.Columns[1];
            Assert.AreEqual(ColumnType.Timestamp, times.Type);
            for (int r = 0; r < chunk.RowCount; r++)
            {
                long row = RowOf(entities, r);
                long start = streamStart.TryGetValue(chunk.Partition, out long s) ? s : streamStart[chunk.Partition] = row - chunk.FirstOffset - r;
                Assert.AreEqual(start + chunk.FirstOffset + r, row, $"partition {chunk.Partition} offset {chunk.FirstOffset + r}");
                Assert.IsFalse(seen[row], $"row {row} sent twice");
                seen[row] = true;
                Assert.AreEqual(SyntheticSource.EntityId(Synthetic.EntityOf(row)), entities.Describe(r));
                Assert.AreEqual(Synthetic.EventTimeMicros(row), times.Values[r], $"event time of row {row}");
                for (int f = 0; f < Features; f++)
                {
                    Assert.AreEqual(Synthetic.Int64Value(row, f), ((Int64Column)chunk.Columns[2 + f]).Values[r], $"f{f} of row {row}");
                }
            }
        }

        int missing = seen.Count(s => !s);
        Assert.AreEqual(0, missing, $"{missing} rows never arrived");
    }

    /// <summary>A split log that gives this shard a partition its requests for work never yielded (the loss the last check catches).</summary>
    private sealed class LateGiving(int given, IReadOnlyList<string> streams) : IStreamRebalancer
    {
        public IReadOnlyList<int> GivenPartitions => [];

        public IReadOnlyList<int> HandedOverPartitions => [];

        public string StreamOf(int partition) => streams[partition];

        public async IAsyncEnumerable<int> MoreWorkAsync(Func<int> reading, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield break;
        }

        public Task<IReadOnlyList<int>> GivenAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<int>>([given]);

        public Task WatchAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Note(string outcome)
        {
        }

        public bool SplitWanted() => false;

        public Task<bool> RecordSplitAsync(int partition, string original, string? primary, string residual, long offset, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
