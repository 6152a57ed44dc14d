using Apache.Arrow;
using Apache.Arrow.Types;
using Google.Cloud.BigQuery.Storage.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.BigQuery;

/// <summary>
/// The BigQuery Storage Read emulator read with the generated client, every batch decoded with Apache.Arrow and
/// every value checked against the synthetic source that generated it.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed partial class BigQueryStorageEmulatorTests
{
    private const string Project = "test-project";
    private const string Dataset = "features";
    private const int Rows = 50_000;
    private const int Features = 4;

    private static readonly SyntheticSource Source = new(new SyntheticSourceOptions { Rows = Rows, Features = Features });
    private static BigQueryStorageEmulator s_emulator = null!;
    private static GrpcChannel s_channel = null!;

    public TestContext TestContext { get; set; } = null!;

    private static BigQueryRead.BigQueryReadClient Client => new(s_channel);

    private static string TableName(string table) => $"projects/{Project}/datasets/{Dataset}/tables/{table}";

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        s_emulator = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), context.CancellationToken);
        s_emulator.AddTable(Project, Dataset, "synthetic", Source);
        s_channel = s_emulator.CreateChannel();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        s_channel.Dispose();
        await s_emulator.DisposeAsync();
    }

    [TestMethod]
    public async Task ReadRows_FourStreams_ReturnEveryRowOnceWithTheSourceValues()
    {
        ReadSession session = await CreateSessionAsync("synthetic", maxStreams: 4);

        Assert.HasCount(4, session.Streams);
        var seen = new bool[Rows];
        long expectedRow = 0;
        foreach (ReadStream stream in session.Streams)
        {
            var rows = new List<object?[]>();
            List<ReadRowsResponse> responses = await ArrowReads.ReadAsync(Client, session, stream.Name, 0, rows, TestContext.CancellationToken);

            Assert.IsTrue(responses.All(r => r.RowCount is > 0 and <= 1_024), "every response holds 1 to 1,024 rows");
            Assert.AreEqual(session.ArrowSchema.SerializedSchema, responses[0].ArrowSchema.SerializedSchema, "the first response carries the session schema");
            Assert.IsTrue(responses.Skip(1).All(r => r.ArrowSchema is null), "only the first response carries the schema");
            Assert.AreEqual(1.0, responses[^1].Stats.Progress.AtResponseEnd, 1e-12);
            foreach (object?[] row in rows)
            {
                // Streams are contiguous ranges in table order, so the table row is known from the position.
                AssertSourceRow(expectedRow, row);
                Assert.IsFalse(seen[expectedRow], $"row {expectedRow} read twice");
                seen[expectedRow++] = true;
            }
        }

        Assert.AreEqual(Rows, expectedRow);
        Assert.IsTrue(seen.All(s => s));
    }

    [TestMethod]
    public async Task CreateReadSession_ArrowTable_ReturnsNamesSchemaEstimatesAndExpiry()
    {
        var snapshot = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

        ReadSession session = await CreateSessionAsync("synthetic", maxStreams: 3, snapshot: snapshot);

        StringAssert.Matches(session.Name, new System.Text.RegularExpressions.Regex($"^projects/{Project}/locations/us/sessions/[0-9a-f]+$"));
        CollectionAssert.AreEqual(new[] { "0", "1", "2" }.Select(n => $"{session.Name}/streams/{n}").ToList(), session.Streams.Select(s => s.Name).ToList());
        Assert.AreEqual(TableName("synthetic"), session.Table);
        Assert.AreEqual(DataFormat.Arrow, session.DataFormat);
        Assert.AreEqual(Rows, session.EstimatedRowCount);
        Assert.IsGreaterThan(0L, session.EstimatedTotalBytesScanned);
        Assert.AreEqual(snapshot, session.TableModifiers.SnapshotTime);
        TimeSpan lifetime = session.ExpireTime.ToDateTimeOffset() - DateTimeOffset.UtcNow;
        Assert.IsTrue(lifetime > TimeSpan.FromHours(5.9) && lifetime <= TimeSpan.FromHours(6), $"expires in {lifetime}");
        Schema schema = ArrowReads.DecodeSchema(session.ArrowSchema.SerializedSchema);
        CollectionAssert.AreEqual(new[] { "entity_id", "event_time", "f0", "f1", "f2", "f3" }, schema.FieldsList.Select(f => f.Name).ToArray());
        Assert.IsInstanceOfType<StringType>(schema.GetFieldByName("entity_id").DataType);
        var time = (TimestampType)schema.GetFieldByName("event_time").DataType;
        Assert.AreEqual(TimeUnit.Microsecond, time.Unit);
        Assert.AreEqual("UTC", time.Timezone);
        Assert.IsInstanceOfType<Int64Type>(schema.GetFieldByName("f0").DataType);
    }

    [TestMethod]
    public async Task CreateReadSession_SameTableAndStreamCount_GivesTheSameSplit()
    {
        ReadSession first = await CreateSessionAsync("synthetic", maxStreams: 7);
        ReadSession second = await CreateSessionAsync("synthetic", maxStreams: 7);

        for (int s = 0; s < 7; s++)
        {
            var a = new List<object?[]>();
            var b = new List<object?[]>();
            await ArrowReads.ReadAsync(Client, first, first.Streams[s].Name, 0, a, TestContext.CancellationToken);
            await ArrowReads.ReadAsync(Client, second, second.Streams[s].Name, 0, b, TestContext.CancellationToken);
            Assert.HasCount(a.Count, b);
            Assert.AreEqual(a[0][0], b[0][0]);
            Assert.AreEqual(a[^1][1], b[^1][1]);
        }
    }

    [TestMethod]
    public async Task ReadRows_FromOffset_ResumesAtExactlyThatRow()
    {
        ReadSession session = await CreateSessionAsync("synthetic", maxStreams: 2);
        long streamStart = Rows / 2;
        var rows = new List<object?[]>();

        await ArrowReads.ReadAsync(Client, session, session.Streams[1].Name, 12_345, rows, TestContext.CancellationToken);

        Assert.HasCount((int)(Rows - streamStart - 12_345), rows);
        for (int i = 0; i < rows.Count; i++)
        {
            AssertSourceRow(streamStart + 12_345 + i, rows[i]);
        }
    }

    [TestMethod]
    public async Task ReadRows_OffsetAtEnd_ReturnsNoRows()
    {
        ReadSession session = await CreateSessionAsync("synthetic", maxStreams: 2);
        var rows = new List<object?[]>();

        await ArrowReads.ReadAsync(Client, session, session.Streams[0].Name, Rows / 2, rows, TestContext.CancellationToken);

        Assert.IsEmpty(rows);
    }

    [TestMethod]
    public async Task ReadRows_OffsetBeyondEnd_FailsOutOfRange()
    {
        ReadSession session = await CreateSessionAsync("synthetic", maxStreams: 2);

        RpcException error = await ReadExpectingErrorAsync(session, session.Streams[0].Name, (Rows / 2) + 1);

        Assert.AreEqual(StatusCode.OutOfRange, error.StatusCode);
    }

    [TestMethod]
    public async Task ReadRows_UnknownStream_FailsNotFound()
    {
        ReadSession session = await CreateSessionAsync("synthetic", maxStreams: 2);

        RpcException unknownStream = await ReadExpectingErrorAsync(session, session.Name + "/streams/99", 0);
        RpcException unknownSession = await ReadExpectingErrorAsync(session, $"projects/{Project}/locations/us/sessions/nosuch/streams/0", 0);

        Assert.AreEqual(StatusCode.NotFound, unknownStream.StatusCode);
        Assert.AreEqual(StatusCode.NotFound, unknownSession.StatusCode);
    }

    [TestMethod]
    public async Task ReadRows_SessionExpired_FailsFailedPrecondition()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using BigQueryStorageEmulator emulator = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions { TimeProvider = clock }, TestContext.CancellationToken);
        emulator.AddTable(Project, Dataset, "t", new SyntheticSource(new SyntheticSourceOptions { Rows = 100, Features = 1 }));
        using GrpcChannel channel = emulator.CreateChannel();
        var client = new BigQueryRead.BigQueryReadClient(channel);
        ReadSession session = await client.CreateReadSessionAsync(SessionRequest("t", 1), cancellationToken: TestContext.CancellationToken);

        clock.Advance(TimeSpan.FromHours(6));
        var read = client.ReadRows(new ReadRowsRequest { ReadStream = session.Streams[0].Name }, cancellationToken: TestContext.CancellationToken);
        RpcException error = await Assert.ThrowsExactlyAsync<RpcException>(() => read.ResponseStream.MoveNext(TestContext.CancellationToken));

        Assert.AreEqual(StatusCode.FailedPrecondition, error.StatusCode);
        StringAssert.Contains(error.Status.Detail, "expired");
    }

    [TestMethod]
    public async Task CreateReadSession_UnknownTable_FailsNotFound()
    {
        RpcException error = await CreateExpectingErrorAsync(SessionRequest("missing", 1));

        Assert.AreEqual(StatusCode.NotFound, error.StatusCode);
        StringAssert.Contains(error.Status.Detail, $"{Project}:{Dataset}.missing");
    }

    [TestMethod]
    public async Task CreateReadSession_UnknownSelectedField_FailsInvalidArgumentNamingIt()
    {
        CreateReadSessionRequest request = SessionRequest("synthetic", 1);
        request.ReadSession.ReadOptions = new ReadSession.Types.TableReadOptions { SelectedFields = { "f0", "no_such_field" } };

        RpcException error = await CreateExpectingErrorAsync(request);

        Assert.AreEqual(StatusCode.InvalidArgument, error.StatusCode);
        StringAssert.Contains(error.Status.Detail, "no_such_field");
    }

    [TestMethod]
    public async Task CreateReadSession_BadParent_FailsInvalidArgument()
    {
        CreateReadSessionRequest request = SessionRequest("synthetic", 1);
        request.Parent = "project/x";

        RpcException error = await CreateExpectingErrorAsync(request);

        Assert.AreEqual(StatusCode.InvalidArgument, error.StatusCode);
    }

    [TestMethod]
    public async Task CreateReadSession_EmptyTable_ReturnsNoStreams()
    {
        s_emulator.AddTable(Project, Dataset, "empty", new SyntheticSource(new SyntheticSourceOptions { Rows = 0, Features = 1 }));

        ReadSession session = await CreateSessionAsync("empty", maxStreams: 4);

        Assert.IsEmpty(session.Streams);
        Assert.AreEqual(0, session.EstimatedRowCount);
    }

    [TestMethod]
    public async Task CreateReadSession_ServerDecidesStreams_SplitsIntoNonEmptyContiguousStreams()
    {
        ReadSession session = await CreateSessionAsync("synthetic", maxStreams: 0);
        long total = 0;

        foreach (ReadStream stream in session.Streams)
        {
            var rows = new List<object?[]>();
            await ArrowReads.ReadAsync(Client, session, stream.Name, 0, rows, TestContext.CancellationToken);
            Assert.IsNotEmpty(rows);
            AssertSourceRow(total, rows[0]);
            total += rows.Count;
        }

        Assert.AreEqual(4, session.Streams.Count);
        Assert.AreEqual(Rows, total);
    }

    [TestMethod]
    public void Start_LeavesProcessSignalsToTheHostingProgram()
    {
        // A console lifetime would register SIGTERM and Ctrl+C handlers newer than the command's and swallow the
        // signal before the command saw it (`emulator bigquery` ignored SIGTERM in about one start in twenty).
        Assert.IsNotInstanceOfType<Microsoft.Extensions.Hosting.Internal.ConsoleLifetime>(s_emulator.Lifetime);
    }

    private static void AssertSourceRow(long row, object?[] values)
    {
        Assert.AreEqual(SyntheticSource.EntityId(Source.EntityOf(row)), values[0], $"entity_id of row {row}");
        Assert.AreEqual(Source.EventTimeMicros(row), values[1], $"event_time of row {row}");
        for (int f = 0; f < Features; f++)
        {
            Assert.AreEqual(Source.Int64Value(row, f), values[2 + f], $"f{f} of row {row}");
        }
    }

    private static CreateReadSessionRequest SessionRequest(string table, int maxStreams, Timestamp? snapshot = null) => new()
    {
        Parent = $"projects/{Project}",
        MaxStreamCount = maxStreams,
        ReadSession = new ReadSession
        {
            Table = TableName(table),
            DataFormat = DataFormat.Arrow,
            TableModifiers = snapshot is null ? null : new ReadSession.Types.TableModifiers { SnapshotTime = snapshot },
        },
    };

    private async Task<ReadSession> CreateSessionAsync(string table, int maxStreams, Timestamp? snapshot = null) =>
        await Client.CreateReadSessionAsync(SessionRequest(table, maxStreams, snapshot), cancellationToken: TestContext.CancellationToken);

    private async Task<RpcException> CreateExpectingErrorAsync(CreateReadSessionRequest request) =>
        await Assert.ThrowsExactlyAsync<RpcException>(async () => await Client.CreateReadSessionAsync(request, cancellationToken: TestContext.CancellationToken));

    private async Task<RpcException> ReadExpectingErrorAsync(ReadSession session, string stream, long offset) =>
        await Assert.ThrowsExactlyAsync<RpcException>(() => ArrowReads.ReadAsync(Client, session, stream, offset, [], TestContext.CancellationToken));
}
