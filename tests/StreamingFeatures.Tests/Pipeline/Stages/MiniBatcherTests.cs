using System.Threading.Tasks.Dataflow;
using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Tests.Pipeline.Stages;

/// <summary>
/// Batches flush on rows, bytes, mutations or linger, on virtual time. Timers fire synchronously when the fake clock
/// advances; the Dataflow hand-offs around them are awaited with a bounded wait, never timed.
/// </summary>
[TestClass]
public sealed class MiniBatcherTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(50);
    private static readonly RowMapper Mapper = MapperTestData.Mapper();

    [TestMethod]
    public async Task Send_PartialBatch_FlushedOnlyOnceLingerPasses()
    {
        var time = new FakeTimeProvider();
        var batcher = new MiniBatcher(new BatchingOptions { Linger = Linger }, time, inputCapacity: 2, outputCapacity: 16);

        await SendAndWaitConsumedAsync(batcher, Chunk(3));
        Assert.IsFalse(TryReceive(batcher, out _));
        time.Advance(Linger - TimeSpan.FromMilliseconds(1));
        Assert.IsFalse(TryReceive(batcher, out _));
        time.Advance(TimeSpan.FromMilliseconds(1));

        using MutationBatch batch = await batcher.Block.ReceiveAsync(Wait);
        Assert.AreEqual(3, batch.Rows.RowCount);
        Assert.AreEqual(3, batch.SourceRows);
        Assert.AreEqual(1, batch.Id);
    }

    [TestMethod]
    public async Task Send_MoreRowsWhileLingering_LingerCountsFromFirstRow()
    {
        var time = new FakeTimeProvider();
        var batcher = new MiniBatcher(new BatchingOptions { Linger = Linger }, time, inputCapacity: 2, outputCapacity: 16);

        await SendAndWaitConsumedAsync(batcher, Chunk(2));
        time.Advance(TimeSpan.FromMilliseconds(30));
        await SendAndWaitConsumedAsync(batcher, Chunk(2, first: 2));
        Assert.IsFalse(TryReceive(batcher, out _));
        time.Advance(TimeSpan.FromMilliseconds(20));

        using MutationBatch batch = await batcher.Block.ReceiveAsync(Wait);
        Assert.AreEqual(4, batch.Rows.RowCount);
        CollectionAssert.AreEqual(Users(0, 4), Entities(batch));
    }

    [TestMethod]
    public async Task Send_NewBatchAfterLingerFlush_LingersAgain()
    {
        var time = new FakeTimeProvider();
        var batcher = new MiniBatcher(new BatchingOptions { Linger = Linger }, time, inputCapacity: 2, outputCapacity: 16);
        await SendAndWaitConsumedAsync(batcher, Chunk(1));
        time.Advance(Linger);
        using MutationBatch first = await batcher.Block.ReceiveAsync(Wait);

        await SendAndWaitConsumedAsync(batcher, Chunk(1, first: 1));
        time.Advance(Linger - TimeSpan.FromMilliseconds(1));
        Assert.IsFalse(TryReceive(batcher, out _));
        time.Advance(TimeSpan.FromMilliseconds(1));

        using MutationBatch second = await batcher.Block.ReceiveAsync(Wait);
        Assert.AreEqual(2, second.Id);
        CollectionAssert.AreEqual(Users(1, 1), Entities(second));
    }

    [TestMethod]
    public async Task Send_ZeroLinger_EveryChunkFlushedAtOnce()
    {
        var batcher = new MiniBatcher(new BatchingOptions { Linger = TimeSpan.Zero }, new FakeTimeProvider(), inputCapacity: 2, outputCapacity: 16);

        await batcher.Block.SendAsync(Chunk(2));
        await batcher.Block.SendAsync(Chunk(3, first: 2));

        using MutationBatch first = await batcher.Block.ReceiveAsync(Wait);
        using MutationBatch second = await batcher.Block.ReceiveAsync(Wait);
        Assert.AreEqual(2, first.Rows.RowCount);
        Assert.AreEqual(3, second.Rows.RowCount);
    }

    [TestMethod]
    public async Task Send_MaxRowsReached_FlushedWithoutWaitingForLinger()
    {
        var time = new FakeTimeProvider();
        var batcher = new MiniBatcher(new BatchingOptions { MaxRows = 3, Linger = Linger }, time, inputCapacity: 2, outputCapacity: 16);

        MappedChunk chunk = Chunk(7);
        await batcher.Block.SendAsync(chunk);

        using MutationBatch first = await batcher.Block.ReceiveAsync(Wait);
        using MutationBatch second = await batcher.Block.ReceiveAsync(Wait);
        CollectionAssert.AreEqual(Users(0, 3), Entities(first));
        CollectionAssert.AreEqual(Users(3, 3), Entities(second));
        Assert.IsFalse(TryReceive(batcher, out _));

        await WaitConsumedAsync(chunk);
        time.Advance(Linger);
        using MutationBatch rest = await batcher.Block.ReceiveAsync(Wait);
        CollectionAssert.AreEqual(Users(6, 1), Entities(rest));
        CollectionAssert.AreEqual(new long[] { 1, 2, 3 }, new[] { first.Id, second.Id, rest.Id });
    }

    [TestMethod]
    public async Task Send_ExactlyMaxRows_FlushedAtOnce()
    {
        var batcher = new MiniBatcher(new BatchingOptions { MaxRows = 4, Linger = TimeSpan.FromSeconds(10) }, new FakeTimeProvider(), inputCapacity: 2, outputCapacity: 16);

        await batcher.Block.SendAsync(Chunk(4));

        using MutationBatch batch = await batcher.Block.ReceiveAsync(Wait);
        Assert.AreEqual(4, batch.Rows.RowCount);
    }

    [TestMethod]
    public async Task Send_MaxBytesReached_BatchNeverPassesMaxBytes()
    {
        const int MaxBytes = 64 * 1024;
        var time = new FakeTimeProvider();
        var batcher = new MiniBatcher(new BatchingOptions { MaxBytes = MaxBytes, Linger = Linger }, time, inputCapacity: 2, outputCapacity: 16);
        using MappedChunk probe = MapperTestData.Map(Mapper, MapperTestData.Users(1, country: new string('c', 20_000)));
        int rowBytes = probe.Rows[0].Length;
        Assert.AreEqual(3, MaxBytes / rowBytes, "three rows fit, a fourth does not");

        MappedChunk chunk = MapperTestData.Map(Mapper, MapperTestData.Users(7, country: new string('c', 20_000)));
        await batcher.Block.SendAsync(chunk);

        using MutationBatch first = await batcher.Block.ReceiveAsync(Wait);
        using MutationBatch second = await batcher.Block.ReceiveAsync(Wait);
        Assert.AreEqual(3, first.Rows.RowCount);
        Assert.AreEqual(3 * rowBytes, first.Rows.ByteCount);
        Assert.AreEqual(3, second.Rows.RowCount);
        await WaitConsumedAsync(chunk);
        time.Advance(Linger);
        using MutationBatch rest = await batcher.Block.ReceiveAsync(Wait);
        Assert.AreEqual(1, rest.Rows.RowCount);
        CollectionAssert.AreEqual(Users(0, 7), Entities(first).Concat(Entities(second)).Concat(Entities(rest)).ToArray());
    }

    [TestMethod]
    public async Task Send_MaxMutationsReached_BatchNeverPassesMaxMutations()
    {
        var time = new FakeTimeProvider();
        var batcher = new MiniBatcher(new BatchingOptions { MaxMutations = 10, Linger = Linger }, time, inputCapacity: 2, outputCapacity: 16);

        // Four mutations a row: two rows (8) fit, a third (12) does not.
        MappedChunk chunk = Chunk(5);
        await batcher.Block.SendAsync(chunk);

        using MutationBatch first = await batcher.Block.ReceiveAsync(Wait);
        using MutationBatch second = await batcher.Block.ReceiveAsync(Wait);
        Assert.AreEqual(8, first.Rows.MutationCount);
        Assert.AreEqual(8, second.Rows.MutationCount);
        await WaitConsumedAsync(chunk);
        time.Advance(Linger);
        using MutationBatch rest = await batcher.Block.ReceiveAsync(Wait);
        Assert.AreEqual(4, rest.Rows.MutationCount);
    }

    [TestMethod]
    public async Task Send_MoreThanBigtableMutationLimit_NoBatchOver100000Mutations()
    {
        // 480 rows of 250 features: 120,000 mutations, of which exactly 400 rows fill a request to Bigtable's limit.
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 480, Features = 250, ChunkRows = 160, Partitions = 1 });
        RowMapper mapper = RowMapper.Create(source.FeatureSet("t"), source.Schema, MapperTestData.MaxEntryBytes);
        var chunks = new BufferBlock<SourceChunk>();
        await source.RunAsync(chunks, CancellationToken.None).WaitAsync(Wait);
        var batcher = new MiniBatcher(new BatchingOptions { MaxRows = BatchingOptions.BigtableMaxMutations, Linger = TimeSpan.FromSeconds(10) }, new FakeTimeProvider(), inputCapacity: 2, outputCapacity: 16);

        while (chunks.TryReceive(out SourceChunk? chunk))
        {
            Assert.IsTrue(await batcher.Block.SendAsync(mapper.Map(chunk)));
        }

        batcher.Block.Complete();
        List<MutationBatch> batches = await ReceiveAllAsync(batcher);

        try
        {
            Assert.HasCount(2, batches);
            Assert.AreEqual(BatchingOptions.BigtableMaxMutations, batches[0].Rows.MutationCount);
            Assert.AreEqual(400, batches[0].Rows.RowCount);
            Assert.IsTrue(batches.All(b => b.Rows.MutationCount <= BatchingOptions.BigtableMaxMutations));
            Assert.AreEqual(120_000, batches.Sum(b => b.Rows.MutationCount));
            Assert.AreEqual(480, batches.Sum(b => b.SourceRows));
        }
        finally
        {
            batches.ForEach(b => b.Dispose());
        }
    }

    [TestMethod]
    public async Task Send_ChunkWithDeadLetters_CarriedInBatchAccounting()
    {
        var batcher = new MiniBatcher(new BatchingOptions { MaxRows = 2, Linger = Linger }, new FakeTimeProvider(), inputCapacity: 2, outputCapacity: 16);

        await batcher.Block.SendAsync(Mapper.Map(MapperTestData.Chunk(1, 100, new InputRow(null), new InputRow("user-1"), new InputRow("user-2"))));

        using MutationBatch batch = await batcher.Block.ReceiveAsync(Wait);
        Assert.AreEqual(2, batch.Rows.RowCount);
        Assert.AreEqual(100L, batch.DeadLetters.Single().Offset);
        Assert.AreEqual(3, batch.SourceRows);
    }

    [TestMethod]
    public async Task Send_ChunkOfOnlyDeadLetters_FlushedAfterLingerWithNoRows()
    {
        var time = new FakeTimeProvider();
        var batcher = new MiniBatcher(new BatchingOptions { Linger = Linger }, time, inputCapacity: 2, outputCapacity: 16);

        await SendAndWaitConsumedAsync(batcher, MapperTestData.Map(Mapper, new InputRow(null), new InputRow("user-1", EventTime: -1)));
        Assert.IsFalse(TryReceive(batcher, out _));
        time.Advance(Linger);

        using MutationBatch batch = await batcher.Block.ReceiveAsync(Wait);
        Assert.AreEqual(0, batch.Rows.RowCount);
        Assert.HasCount(2, batch.DeadLetters);
        Assert.AreEqual(2, batch.SourceRows);
    }

    [TestMethod]
    public async Task Complete_RowsAndDeadLettersPending_FlushesRestAndCompletesOutput()
    {
        var batcher = new MiniBatcher(new BatchingOptions { Linger = TimeSpan.FromSeconds(10) }, new FakeTimeProvider(), inputCapacity: 2, outputCapacity: 16);
        await batcher.Block.SendAsync(Chunk(2));
        await batcher.Block.SendAsync(MapperTestData.Map(Mapper, new InputRow(SyntheticSource.EntityId(2)), new InputRow(null), new InputRow(SyntheticSource.EntityId(3))));

        batcher.Block.Complete();

        using MutationBatch batch = await batcher.Block.ReceiveAsync(Wait);
        CollectionAssert.AreEqual(Users(0, 4), Entities(batch));
        Assert.HasCount(1, batch.DeadLetters);
        Assert.AreEqual(5, batch.SourceRows);
        await batcher.Block.Completion.WaitAsync(Wait);
        Assert.IsFalse(await batcher.Block.OutputAvailableAsync());
    }

    [TestMethod]
    public async Task Complete_NothingPending_CompletesWithoutBatch()
    {
        var batcher = new MiniBatcher(new BatchingOptions(), new FakeTimeProvider(), inputCapacity: 2, outputCapacity: 16);

        batcher.Block.Complete();

        await batcher.Block.Completion.WaitAsync(Wait);
        Assert.IsFalse(TryReceive(batcher, out _));
    }

    [TestMethod]
    public async Task Complete_ManyChunks_EverySourceRowAccountedOnce()
    {
        var time = new FakeTimeProvider();
        var batcher = new MiniBatcher(new BatchingOptions { MaxRows = 7, Linger = Linger }, time, inputCapacity: 2, outputCapacity: 64);
        int sourceRows = 0;
        for (int c = 0; c < 10; c++)
        {
            InputRow[] rows = [.. MapperTestData.Users(5, first: c * 5), new InputRow(null)];
            sourceRows += rows.Length;
            await batcher.Block.SendAsync(Mapper.Map(MapperTestData.Chunk(c, c * 6, rows)));
            time.Advance(TimeSpan.FromMilliseconds(20));
        }

        batcher.Block.Complete();
        List<MutationBatch> batches = await ReceiveAllAsync(batcher);

        try
        {
            Assert.AreEqual(sourceRows, batches.Sum(b => b.SourceRows));
            Assert.AreEqual(10, batches.Sum(b => b.DeadLetters.Count));
            Assert.IsTrue(batches.All(b => b.Rows.RowCount <= 7));
            CollectionAssert.AreEqual(Users(0, 50), batches.SelectMany(Entities).ToArray());
            CollectionAssert.AreEqual(Enumerable.Range(1, batches.Count).Select(i => (long)i).ToArray(), batches.Select(b => b.Id).ToArray());
        }
        finally
        {
            batches.ForEach(b => b.Dispose());
        }
    }

    private static MappedChunk Chunk(int rows, int first = 0) => MapperTestData.Map(Mapper, MapperTestData.Users(rows, first));

    private static string[] Users(int first, int count) => [.. Enumerable.Range(first, count).Select(i => SyntheticSource.EntityId(i))];

    /// <summary>The entity part of each row key in the batch, decoded from the request the writer would send.</summary>
    private static string[] Entities(MutationBatch batch) =>
        [.. MapperTestData.Decode(batch.Rows).Entries.Select(e => e.RowKey.ToStringUtf8()[3..])];

    private static bool TryReceive(MiniBatcher batcher, out MutationBatch? batch) =>
        ((IReceivableSourceBlock<MutationBatch>)batcher.Block).TryReceive(out batch);

    /// <summary>Sends a chunk and waits until the batcher has taken its rows (it disposes the chunk when done with it).</summary>
    private static async Task SendAndWaitConsumedAsync(MiniBatcher batcher, MappedChunk chunk)
    {
        Assert.IsTrue(await batcher.Block.SendAsync(chunk));
        await WaitConsumedAsync(chunk);
    }

    /// <summary>
    /// Waits until the batcher is done with a chunk: it disposes the chunk after taking its rows and arming the linger
    /// timer, so virtual time may only be advanced after this.
    /// </summary>
    private static async Task WaitConsumedAsync(MappedChunk chunk)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (chunk.Rows.Bytes.Length > 0)
        {
            await Task.Delay(1, timeout.Token);
        }
    }

    private static async Task<List<MutationBatch>> ReceiveAllAsync(MiniBatcher batcher)
    {
        var batches = new List<MutationBatch>();
        using var timeout = new CancellationTokenSource(Wait);
        while (await batcher.Block.OutputAvailableAsync(timeout.Token))
        {
            batches.Add(await batcher.Block.ReceiveAsync(timeout.Token));
        }

        await batcher.Block.Completion.WaitAsync(timeout.Token);
        return batches;
    }
}
