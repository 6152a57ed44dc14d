using Apache.Arrow;
using Google.Cloud.BigQuery.Storage.V1;
using Grpc.Core;

namespace StreamingFeatures.IntegrationTests.BigQuery;

/// <summary>Selected fields, row restrictions and SplitReadStream.</summary>
public sealed partial class BigQueryStorageEmulatorTests
{
    [TestMethod]
    public async Task ReadRows_SelectedFields_ReturnsOnlyThoseInTableOrder()
    {
        CreateReadSessionRequest request = SessionRequest("synthetic", 1);
        request.ReadSession.ReadOptions = new ReadSession.Types.TableReadOptions { SelectedFields = { "f2", "entity_id" } };
        ReadSession session = await Client.CreateReadSessionAsync(request, cancellationToken: TestContext.CancellationToken);
        var rows = new List<object?[]>();

        await ArrowReads.ReadAsync(Client, session, session.Streams[0].Name, 0, rows, TestContext.CancellationToken);

        Schema schema = ArrowReads.DecodeSchema(session.ArrowSchema.SerializedSchema);
        CollectionAssert.AreEqual(new[] { "entity_id", "f2" }, schema.FieldsList.Select(f => f.Name).ToArray());
        Assert.HasCount(Rows, rows);
        for (int r = 0; r < Rows; r += 997)
        {
            Assert.AreEqual(SyntheticSourceEntity(r), rows[r][0]);
            Assert.AreEqual(Source.Int64Value(r, 2), rows[r][1]);
        }
    }

    [TestMethod]
    public async Task ReadRows_ModAndTimestampRestriction_ReturnsExactlyTheMatchingRows()
    {
        // Row r's event time is 2026-01-01T00:00:00Z plus r milliseconds: the second bound keeps rows below 30,000.
        const string Restriction = "MOD(f1, 7) = 3 AND event_time < TIMESTAMP '2026-01-01 00:00:30' AND f0 != 0";
        ReadSession session = await CreateRestrictedSessionAsync(Restriction, maxStreams: 3);
        var expected = Enumerable.Range(0, Rows).Where(r => Source.Int64Value(r, 1) % 7 == 3 && r < 30_000).Select(r => (long)r).ToList();

        List<long> actual = await ReadRowNumbersAsync(session);

        Assert.IsNotEmpty(expected);
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public async Task ReadRows_StringAndIntRangeRestriction_ReturnsExactlyTheMatchingRows()
    {
        const string Restriction = "(entity_id >= 'user-0000001000' AND entity_id < \"user-0000002000\") AND f3 > 0 AND f3 <= 9223372036854775807";
        ReadSession session = await CreateRestrictedSessionAsync(Restriction, maxStreams: 4);
        var expected = Enumerable.Range(1_000, 1_000).Where(r => Source.Int64Value(r, 3) > 0).Select(r => (long)r).ToList();

        List<long> actual = await ReadRowNumbersAsync(session);

        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public async Task ReadRows_RestrictedStreamFromOffset_CountsOffsetsInMatchingRows()
    {
        ReadSession session = await CreateRestrictedSessionAsync("MOD(f0, 2) = 0", maxStreams: 1);
        var expected = Enumerable.Range(0, Rows).Where(r => Source.Int64Value(r, 0) % 2 == 0).Select(r => (long)r).ToList();
        var rows = new List<object?[]>();

        await ArrowReads.ReadAsync(Client, session, session.Streams[0].Name, 5_000, rows, TestContext.CancellationToken);

        Assert.HasCount(expected.Count - 5_000, rows);
        AssertSourceRow(expected[5_000], rows[0]);
        AssertSourceRow(expected[^1], rows[^1]);
    }

    [TestMethod]
    [DataRow("f0 = 1 XOR f1 = 2", "XOR")]
    [DataRow("f0 IS TRUE", "TRUE")]
    [DataRow("SHA256(entity_id) = 3", "SHA256")]
    [DataRow("f0 LIKE '1%'", "LIKE applies to STRING and BYTES")]
    [DataRow("nope = 3", "nope")]
    [DataRow("f0 = 'text'", "INT64, STRING")]
    public async Task CreateReadSession_UnsupportedOrInvalidRestriction_FailsInvalidArgumentNamingIt(string restriction, string named)
    {
        CreateReadSessionRequest request = SessionRequest("synthetic", 1);
        request.ReadSession.ReadOptions = new ReadSession.Types.TableReadOptions { RowRestriction = restriction };

        RpcException error = await CreateExpectingErrorAsync(request);

        Assert.AreEqual(StatusCode.InvalidArgument, error.StatusCode);
        StringAssert.Contains(error.Status.Detail, named);
    }

    [TestMethod]
    public async Task SplitReadStream_HalfFraction_PrimaryAndRemainderCoverTheOriginal()
    {
        ReadSession session = await CreateSessionAsync("synthetic", maxStreams: 2);
        string original = session.Streams[1].Name;

        SplitReadStreamResponse split = await Client.SplitReadStreamAsync(new SplitReadStreamRequest { Name = original, Fraction = 0.3 }, cancellationToken: TestContext.CancellationToken);
        var primary = new List<object?[]>();
        var remainder = new List<object?[]>();
        var whole = new List<object?[]>();
        await ArrowReads.ReadAsync(Client, session, split.PrimaryStream.Name, 0, primary, TestContext.CancellationToken);
        await ArrowReads.ReadAsync(Client, session, split.RemainderStream.Name, 0, remainder, TestContext.CancellationToken);
        await ArrowReads.ReadAsync(Client, session, original, 0, whole, TestContext.CancellationToken);

        Assert.AreEqual($"{session.Name}/streams/2", split.PrimaryStream.Name);
        Assert.AreEqual($"{session.Name}/streams/3", split.RemainderStream.Name);
        Assert.HasCount(7_500, primary);
        Assert.HasCount(17_500, remainder);
        Assert.HasCount(25_000, whole);
        AssertSourceRow(25_000, primary[0]);
        AssertSourceRow(32_499, primary[^1]);
        AssertSourceRow(32_500, remainder[0]);
        AssertSourceRow(49_999, remainder[^1]);
    }

    [TestMethod]
    public async Task SplitReadStream_OneRowStream_ReturnsEmptyStreams()
    {
        s_emulator.AddTable(Project, Dataset, "tiny", new Sources.Synthetic.SyntheticSource(new Sources.Synthetic.SyntheticSourceOptions { Rows = 2, Features = 1 }));
        ReadSession session = await CreateSessionAsync("tiny", maxStreams: 2);

        SplitReadStreamResponse split = await Client.SplitReadStreamAsync(new SplitReadStreamRequest { Name = session.Streams[0].Name, Fraction = 0.5 }, cancellationToken: TestContext.CancellationToken);

        Assert.IsNull(split.PrimaryStream);
        Assert.IsNull(split.RemainderStream);
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(1.0)]
    public async Task SplitReadStream_FractionOutsideOpenInterval_FailsInvalidArgument(double fraction)
    {
        ReadSession session = await CreateSessionAsync("synthetic", maxStreams: 1);

        RpcException error = await Assert.ThrowsExactlyAsync<RpcException>(async () =>
            await Client.SplitReadStreamAsync(new SplitReadStreamRequest { Name = session.Streams[0].Name, Fraction = fraction }, cancellationToken: TestContext.CancellationToken));

        Assert.AreEqual(StatusCode.InvalidArgument, error.StatusCode);
    }

    private static string SyntheticSourceEntity(long row) => Sources.Synthetic.SyntheticSource.EntityId(Source.EntityOf(row));

    private async Task<ReadSession> CreateRestrictedSessionAsync(string restriction, int maxStreams)
    {
        CreateReadSessionRequest request = SessionRequest("synthetic", maxStreams);
        request.ReadSession.ReadOptions = new ReadSession.Types.TableReadOptions { RowRestriction = restriction };
        return await Client.CreateReadSessionAsync(request, cancellationToken: TestContext.CancellationToken);
    }

    /// <summary>Reads every stream in order and maps each row back to its table row by its event time.</summary>
    private async Task<List<long>> ReadRowNumbersAsync(ReadSession session)
    {
        var numbers = new List<long>();
        foreach (ReadStream stream in session.Streams)
        {
            var rows = new List<object?[]>();
            await ArrowReads.ReadAsync(Client, session, stream.Name, 0, rows, TestContext.CancellationToken);
            foreach (object?[] row in rows)
            {
                long number = ((long)row[1]! - Source.EventTimeMicros(0)) / 1_000;
                AssertSourceRow(number, row);
                numbers.Add(number);
            }
        }

        return numbers;
    }
}
