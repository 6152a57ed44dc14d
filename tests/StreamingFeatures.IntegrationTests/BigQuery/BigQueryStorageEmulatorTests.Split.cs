using Google.Cloud.BigQuery.Storage.V1;
using Grpc.Core;

namespace StreamingFeatures.IntegrationTests.BigQuery;

/// <summary>SplitReadStream as work stealing relies on it: offsets carry over to the primary; a late split gives nothing past the reader.</summary>
public sealed partial class BigQueryStorageEmulatorTests
{
    [TestMethod]
    public async Task SplitReadStream_ReaderBeforeSplitPoint_PrimaryGoesOnAtTheReadersOffset()
    {
        ReadSession session = await CreateSessionAsync("synthetic", maxStreams: 2);
        string original = session.Streams[0].Name;
        var whole = new List<object?[]>();
        await ArrowReads.ReadAsync(Client, session, original, 0, whole, TestContext.CancellationToken);

        SplitReadStreamResponse split = await Client.SplitReadStreamAsync(new SplitReadStreamRequest { Name = original, Fraction = 0.5 }, cancellationToken: TestContext.CancellationToken);
        var primaryTail = new List<object?[]>();
        var residual = new List<object?[]>();
        await ArrowReads.ReadAsync(Client, session, split.PrimaryStream.Name, 5_000, primaryTail, TestContext.CancellationToken);
        await ArrowReads.ReadAsync(Client, session, split.RemainderStream.Name, 0, residual, TestContext.CancellationToken);

        // The reader had rows [0, 5000) of the original: the primary's rows from 5000 and the residual make up the rest, once.
        Assert.HasCount(whole.Count - 5_000, [.. primaryTail, .. residual]);
        AssertSourceRow(5_000, primaryTail[0]);
        AssertSourceRow(12_500, residual[0]);
        var again = new List<object?[]>();
        await ArrowReads.ReadAsync(Client, session, original, 0, again, TestContext.CancellationToken);
        Assert.HasCount(whole.Count, again, "the original stays readable, with all its rows");
    }

    [TestMethod]
    public async Task SplitReadStream_SplitPointBeforeTheReader_PrimaryHasNoRowsPastIt()
    {
        ReadSession session = await CreateSessionAsync("synthetic", maxStreams: 2);
        SplitReadStreamResponse split = await Client.SplitReadStreamAsync(new SplitReadStreamRequest { Name = session.Streams[0].Name, Fraction = 0.2 }, cancellationToken: TestContext.CancellationToken);

        // The primary holds rows [0, 5000); a reader at 8000 must abandon this split (the residual repeats rows it read).
        RpcException beyond = await Assert.ThrowsExactlyAsync<RpcException>(
            () => ArrowReads.ReadAsync(Client, session, split.PrimaryStream.Name, 8_000, [], TestContext.CancellationToken));
        var atEnd = new List<object?[]>();
        await ArrowReads.ReadAsync(Client, session, split.PrimaryStream.Name, 5_000, atEnd, TestContext.CancellationToken);

        Assert.AreEqual(StatusCode.OutOfRange, beyond.StatusCode);
        Assert.IsEmpty(atEnd);
    }
}
