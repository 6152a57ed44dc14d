using Google.Cloud.BigQuery.Storage.V1;
using Google.Rpc;
using Grpc.Core;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.BigQuery;

/// <summary>Injected faults, each on its own table so the tests of the class cannot see each other's faults.</summary>
public sealed partial class BigQueryStorageEmulatorTests
{
    [TestMethod]
    public async Task ReadRows_UnavailableAfterRows_BreaksThereAndResumesFromTheOffsetWithoutLoss()
    {
        string table = AddFaultTable(out SyntheticSource source);
        s_emulator.InjectFault(new BigQueryReadFault(BigQueryFaultKind.Unavailable) { Table = TableName(table), Stream = 1, AfterRows = 1_500 });
        ReadSession session = await CreateSessionAsync(table, maxStreams: 2);
        var rows = new List<object?[]>();

        RpcException error = await Assert.ThrowsExactlyAsync<RpcException>(() =>
            ArrowReads.ReadAsync(Client, session, session.Streams[1].Name, 100, rows, TestContext.CancellationToken));
        Assert.AreEqual(StatusCode.Unavailable, error.StatusCode);
        Assert.HasCount(1_500, rows);
        await ArrowReads.ReadAsync(Client, session, session.Streams[1].Name, 100 + rows.Count, rows, TestContext.CancellationToken);

        Assert.HasCount(5_000 - 100, rows);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.AreEqual(source.Int64Value(5_000 + 100 + i, 0), rows[i][2], $"row {i} after resuming");
        }
    }

    [TestMethod]
    public async Task ReadRows_FaultOnOtherStream_LeavesThisStreamAlone()
    {
        string table = AddFaultTable(out _);
        s_emulator.InjectFault(new BigQueryReadFault(BigQueryFaultKind.Unavailable) { Table = TableName(table), Stream = 1, AfterRows = 10 });
        ReadSession session = await CreateSessionAsync(table, maxStreams: 2);
        var rows = new List<object?[]>();

        await ArrowReads.ReadAsync(Client, session, session.Streams[0].Name, 0, rows, TestContext.CancellationToken);

        Assert.HasCount(5_000, rows);
    }

    [TestMethod]
    public async Task ReadRows_ResetStreamAfterRows_ClientSeesTheStreamResetAfterThoseRows()
    {
        string table = AddFaultTable(out _);
        s_emulator.InjectFault(new BigQueryReadFault(BigQueryFaultKind.ResetStream) { Table = TableName(table), AfterRows = 2_048 });
        ReadSession session = await CreateSessionAsync(table, maxStreams: 1);
        var rows = new List<object?[]>();

        RpcException error = await Assert.ThrowsExactlyAsync<RpcException>(() =>
            ArrowReads.ReadAsync(Client, session, session.Streams[0].Name, 0, rows, TestContext.CancellationToken));
        TestContext.WriteLine($"client saw {error.StatusCode}: {error.Status.Detail}");
        await ArrowReads.ReadAsync(Client, session, session.Streams[0].Name, rows.Count, rows, TestContext.CancellationToken);

        Assert.AreNotEqual(StatusCode.OK, error.StatusCode);
        Assert.AreNotEqual(StatusCode.Unavailable, error.StatusCode, "a reset carries no gRPC status from the server");
        Assert.HasCount(10_000, rows);
    }

    [TestMethod]
    public async Task ReadRows_ResourceExhaustedOnFirstCalls_CarriesRetryInfoThenServes()
    {
        string table = AddFaultTable(out _);
        s_emulator.InjectFault(new BigQueryReadFault(BigQueryFaultKind.ResourceExhausted) { Table = TableName(table), Times = 2, RetryDelay = TimeSpan.FromMilliseconds(750) });
        ReadSession session = await CreateSessionAsync(table, maxStreams: 1);

        for (int call = 0; call < 2; call++)
        {
            RpcException error = await ReadExpectingErrorAsync(session, session.Streams[0].Name, 0);
            Assert.AreEqual(StatusCode.ResourceExhausted, error.StatusCode);
            byte[] details = error.Trailers.GetValueBytes("grpc-status-details-bin") ?? throw new AssertFailedException("no grpc-status-details-bin trailer");
            var status = Google.Rpc.Status.Parser.ParseFrom(details);
            Assert.AreEqual((int)Code.ResourceExhausted, status.Code);
            RetryInfo retry = status.Details.Single(d => d.Is(RetryInfo.Descriptor)).Unpack<RetryInfo>();
            Assert.AreEqual(TimeSpan.FromMilliseconds(750), retry.RetryDelay.ToTimeSpan());
        }

        var rows = new List<object?[]>();
        await ArrowReads.ReadAsync(Client, session, session.Streams[0].Name, 0, rows, TestContext.CancellationToken);
        Assert.HasCount(10_000, rows);
    }

    /// <summary>A fresh 10,000-row table with a unique name (faults are matched by table).</summary>
    private static string AddFaultTable(out SyntheticSource source)
    {
        string table = "faults_" + Guid.NewGuid().ToString("N")[..12];
        source = new SyntheticSource(new SyntheticSourceOptions { Rows = 10_000, Features = 1, Seed = 7 });
        s_emulator.AddTable(Project, Dataset, table, source);
        return table;
    }
}
