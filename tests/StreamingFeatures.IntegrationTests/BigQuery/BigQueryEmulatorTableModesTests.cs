using System.Threading.Tasks.Dataflow;
using Google.Cloud.BigQuery.Storage.V1;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.BigQuery;

/// <summary>
/// The same synthetic table served on demand (the source has random access) and materialised (the same source seen
/// only as an <see cref="IRowSource"/>) answers every request the same, byte for byte: sessions, splits, offsets,
/// restrictions and errors.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class BigQueryEmulatorTableModesTests
{
    private const string Project = "modes-project";
    private const string Dataset = "features";
    private const string OnDemand = "on_demand";
    private const string Materialised = "materialised";

    // 30,003 rows: neither the on-demand batches (1,024 rows) nor the source's partitions divide it evenly. Features
    // cycle INT64, FLOAT64, BOOL, STRING so every Arrow type the gather copies is covered.
    private static readonly SyntheticSource Source = new(new SyntheticSourceOptions { Rows = 30_003, Features = 5, ValueBytes = 6, Keys = KeyDistribution.Uniform });
    private static BigQueryStorageEmulator s_emulator = null!;
    private static GrpcChannel s_channel = null!;

    public TestContext TestContext { get; set; } = null!;

    private static BigQueryRead.BigQueryReadClient Client => new(s_channel);

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        s_emulator = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions { MaxRowsPerResponse = 700 }, context.CancellationToken);
        s_emulator.AddTable(Project, Dataset, OnDemand, Source);
        s_emulator.AddTable(Project, Dataset, Materialised, new SequentialOnly(Source));
        s_emulator.AddTable(Project, Dataset, OnDemand + "_empty", new SyntheticSource(new SyntheticSourceOptions { Rows = 0, Features = 1 }));
        s_emulator.AddTable(Project, Dataset, Materialised + "_empty", new SequentialOnly(new SyntheticSource(new SyntheticSourceOptions { Rows = 0, Features = 1 })));
        s_channel = s_emulator.CreateChannel();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        s_channel.Dispose();
        await s_emulator.DisposeAsync();
    }

    [TestMethod]
    [DataRow("", 3, 0L)]
    [DataRow("", 1, 12_345L)]
    [DataRow("MOD(f0, 3) = 1 AND f1 > 100.5", 4, 0L)]
    [DataRow("f2 = TRUE AND entity_id >= 'user-0000010000'", 2, 1_001L)]
    [DataRow("ABS(MOD(COALESCE(FARM_FINGERPRINT(CAST(`entity_id` AS STRING)), 0), 4)) = 2", 3, 500L)]
    public async Task ReadRows_SameRequest_OnDemandAndMaterialisedAnswerTheSameBytes(string restriction, int streams, long offset)
    {
        (ReadSession onDemand, List<string> onDemandResponses) = await ReadAllAsync(OnDemand, restriction, streams, offset);
        (ReadSession materialised, List<string> materialisedResponses) = await ReadAllAsync(Materialised, restriction, streams, offset);

        Assert.AreEqual(materialised.EstimatedRowCount, onDemand.EstimatedRowCount);
        Assert.AreEqual(materialised.EstimatedTotalBytesScanned, onDemand.EstimatedTotalBytesScanned);
        Assert.AreEqual(materialised.ArrowSchema.SerializedSchema, onDemand.ArrowSchema.SerializedSchema);
        Assert.HasCount(materialised.Streams.Count, onDemand.Streams);
        Assert.IsNotEmpty(onDemandResponses);
        CollectionAssert.AreEqual(materialisedResponses, onDemandResponses);
    }

    [TestMethod]
    public async Task SplitReadStream_BothModes_SplitAtTheSameRowWithTheSameData()
    {
        var answers = new List<string>();
        foreach (string table in new[] { OnDemand, Materialised })
        {
            ReadSession session = await Client.CreateReadSessionAsync(Request(table, "f0 > 0", 2), cancellationToken: TestContext.CancellationToken);
            SplitReadStreamResponse split = await Client.SplitReadStreamAsync(new SplitReadStreamRequest { Name = session.Streams[1].Name, Fraction = 0.37 }, cancellationToken: TestContext.CancellationToken);
            var rows = new List<object?[]>();
            await ArrowReads.ReadAsync(Client, session, split.PrimaryStream.Name, 0, rows, TestContext.CancellationToken);
            int primary = rows.Count;
            await ArrowReads.ReadAsync(Client, session, split.RemainderStream.Name, 3, rows, TestContext.CancellationToken);
            answers.Add($"{primary}:{rows.Count}:" + string.Join(";", rows.Select(r => string.Join(",", r.Select(v => v is byte[] b ? Convert.ToHexString(b) : v)))));
        }

        Assert.AreEqual(answers[1], answers[0]);
        StringAssert.StartsWith(answers[0], $"{CountPositive(15_001, 15_001 + (long)(15_002 * 0.37))}:");
    }

    [TestMethod]
    [DataRow(OnDemand)]
    [DataRow(Materialised)]
    public async Task ReadRows_OffsetBeyondEnd_FailsOutOfRangeInBothModes(string table)
    {
        ReadSession session = await Client.CreateReadSessionAsync(Request(table, "MOD(f0, 2) = 0", 2), cancellationToken: TestContext.CancellationToken);
        long rows = Enumerable.Range(0, 15_001).Count(r => Source.Int64Value(r, 0) % 2 == 0);

        var atEnd = new List<object?[]>();
        await ArrowReads.ReadAsync(Client, session, session.Streams[0].Name, rows, atEnd, TestContext.CancellationToken);
        RpcException error = await Assert.ThrowsExactlyAsync<RpcException>(() =>
            ArrowReads.ReadAsync(Client, session, session.Streams[0].Name, rows + 1, [], TestContext.CancellationToken));

        Assert.IsEmpty(atEnd);
        Assert.AreEqual(StatusCode.OutOfRange, error.StatusCode);
    }

    [TestMethod]
    [DataRow(OnDemand + "_empty")]
    [DataRow(Materialised + "_empty")]
    public async Task CreateReadSession_EmptyTable_ReturnsNoStreamsInBothModes(string table)
    {
        ReadSession session = await Client.CreateReadSessionAsync(Request(table, string.Empty, 4), cancellationToken: TestContext.CancellationToken);

        Assert.IsEmpty(session.Streams);
        Assert.AreEqual(0, session.EstimatedRowCount);
        Assert.AreEqual(0, session.EstimatedTotalBytesScanned);
    }

    private static long CountPositive(long from, long to)
    {
        long count = 0;
        for (long r = from; r < to; r++)
        {
            count += Source.Int64Value(r, 0) > 0 ? 1 : 0;
        }

        return count;
    }

    private static CreateReadSessionRequest Request(string table, string restriction, int streams) => new()
    {
        Parent = $"projects/{Project}",
        MaxStreamCount = streams,
        ReadSession = new ReadSession
        {
            Table = $"projects/{Project}/datasets/{Dataset}/tables/{table}",
            DataFormat = DataFormat.Arrow,
            ReadOptions = new ReadSession.Types.TableReadOptions { RowRestriction = restriction },
        },
    };

    /// <summary>Every stream read from <paramref name="offset"/>; each response as row count, progress and the hex of its batch.</summary>
    private async Task<(ReadSession Session, List<string> Responses)> ReadAllAsync(string table, string restriction, int streams, long offset)
    {
        ReadSession session = await Client.CreateReadSessionAsync(Request(table, restriction, streams), cancellationToken: TestContext.CancellationToken);
        var answers = new List<string>();
        foreach (ReadStream stream in session.Streams)
        {
            using AsyncServerStreamingCall<ReadRowsResponse> call = Client.ReadRows(new ReadRowsRequest { ReadStream = stream.Name, Offset = offset }, cancellationToken: TestContext.CancellationToken);
            await foreach (ReadRowsResponse response in call.ResponseStream.ReadAllAsync(TestContext.CancellationToken))
            {
                answers.Add($"{response.RowCount} {response.Stats.Progress.AtResponseStart:R}-{response.Stats.Progress.AtResponseEnd:R} {Convert.ToHexString(response.ArrowRecordBatch.SerializedRecordBatch.Span)}");
            }
        }

        return (session, answers);
    }

    /// <summary>The source without its random access, so the emulator materialises it.</summary>
    private sealed class SequentialOnly(IRowSource source) : IRowSource
    {
        public SourceSchema Schema => source.Schema;

        public string Description => source.Description;

        public long? ExpectedRows => source.ExpectedRows;

        public Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken) => source.RunAsync(target, cancellationToken);
    }
}
