using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Tests.Sources.Files;

/// <summary>File sources pause on a full target, stop when it declines, and stop on cancellation.</summary>
[TestClass]
public sealed class FileSourceFlowTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [TestMethod]
    [DataRow("parquet")]
    [DataRow("csv")]
    public async Task RunAsync_TargetFull_PausesUntilDrained(string format)
    {
        using var dir = new TempDirectory();
        IRowSource source = await OpenAsync(dir, format, rows: 100, chunkRows: 10);
        var target = new RoomTarget(2);

        Task run = source.RunAsync(target, CancellationToken.None);

        // The target postpones the third chunk: from then on the source waits for room (a loaded machine may take a while to get there).
        await target.Postponed.WaitAsync(Wait);
        Assert.IsFalse(run.IsCompleted, "the source waits for room");
        Assert.AreEqual(2, target.Count);
        int rows = 0;
        while (!run.IsCompleted || target.Count > 0)
        {
            List<SourceChunk> taken = target.TakeAll();
            rows += taken.Sum(c => c.RowCount);
            if (taken.Count == 0)
            {
                await Task.WhenAny(run, Task.Delay(10));
            }
        }

        await run.WaitAsync(Wait);
        Assert.AreEqual(100, rows);
    }

    [TestMethod]
    [DataRow("parquet")]
    [DataRow("csv")]
    public async Task RunAsync_TargetDeclines_ReturnsWithoutSendingMore(string format)
    {
        using var dir = new TempDirectory();
        IRowSource source = await OpenAsync(dir, format, rows: 100, chunkRows: 10);
        var target = new BufferBlock<SourceChunk>();
        target.Complete();

        await source.RunAsync(target, CancellationToken.None).WaitAsync(Wait);

        Assert.AreEqual(0, target.Count);
    }

    [TestMethod]
    [DataRow("parquet")]
    [DataRow("csv")]
    public async Task RunAsync_Cancelled_StopsWhileWaitingForRoom(string format)
    {
        using var dir = new TempDirectory();
        IRowSource source = await OpenAsync(dir, format, rows: 100, chunkRows: 10);
        var target = new RoomTarget(1);
        using var cancel = new CancellationTokenSource();

        Task run = source.RunAsync(target, cancel.Token);
        await target.Postponed.WaitAsync(Wait);
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => run.WaitAsync(Wait));
    }

    private static async Task<IRowSource> OpenAsync(TempDirectory dir, string format, int rows, int chunkRows)
    {
        if (format == "parquet")
        {
            await ParquetTestFiles.WriteIdsAsync(dir.File("t.parquet"), 0, rows);
            return await ParquetFileSource.OpenAsync(dir.Path, "*.parquet", new ParquetFileSourceOptions { ChunkRows = chunkRows });
        }

        await File.WriteAllTextAsync(dir.File("t.csv"), "id,name\n" + string.Concat(Enumerable.Range(0, rows).Select(i => $"{i},n{i}\n")));
        return await CsvFileSource.OpenAsync(dir.Path, "*.csv", new CsvFileSourceOptions { ChunkRows = chunkRows });
    }
}
