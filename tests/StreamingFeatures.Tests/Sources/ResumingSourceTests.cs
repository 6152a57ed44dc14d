using System.Text;
using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Tests.Sources;

/// <summary>A resumed source sends exactly the rows at or after each partition's committed offset, unchanged.</summary>
[TestClass]
public sealed class ResumingSourceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Remaining_ChunkWhollyBeforeOffset_Null()
    {
        var resuming = new ResumingSource(new ListSource([]), new Dictionary<int, long> { [2] = 105 });

        Assert.IsNull(resuming.Remaining(EveryType(partition: 2, firstOffset: 100)));
    }

    [TestMethod]
    public void Remaining_ChunkAtOrAfterOffset_SameChunk()
    {
        var resuming = new ResumingSource(new ListSource([]), new Dictionary<int, long> { [2] = 100 });
        SourceChunk chunk = EveryType(partition: 2, firstOffset: 100);
        SourceChunk later = EveryType(partition: 2, firstOffset: 200);
        SourceChunk otherPartition = EveryType(partition: 9, firstOffset: 0);

        Assert.AreSame(chunk, resuming.Remaining(chunk));
        Assert.AreSame(later, resuming.Remaining(later));
        Assert.AreSame(otherPartition, resuming.Remaining(otherPartition), "a partition never committed starts at 0");
    }

    [TestMethod]
    [DataRow(101L)]
    [DataRow(102L)]
    [DataRow(104L)]
    public void Remaining_ChunkStraddlesOffset_EveryColumnSlicedExactly(long offset)
    {
        var resuming = new ResumingSource(new ListSource([]), new Dictionary<int, long> { [2] = offset });
        SourceChunk chunk = EveryType(partition: 2, firstOffset: 100);
        string[][] before = Describe(chunk);
        int skip = (int)(offset - 100);

        SourceChunk? rest = resuming.Remaining(chunk);

        Assert.IsNotNull(rest);
        Assert.AreEqual(2, rest.Partition);
        Assert.AreEqual(offset, rest.FirstOffset);
        Assert.AreEqual(chunk.RowCount - skip, rest.RowCount);
        Assert.HasCount(chunk.Columns.Count, rest.Columns);
        for (int c = 0; c < chunk.Columns.Count; c++)
        {
            ColumnVector column = rest.Columns[c];
            Assert.AreEqual(chunk.Columns[c].GetType(), column.GetType(), $"column {c}");
            Assert.AreEqual(chunk.Columns[c].Type, column.Type, $"column {c}");
            Assert.AreEqual(rest.RowCount, column.Count, $"column {c}");
            Assert.AreEqual(chunk.Columns[c].Nulls is null, column.Nulls is null, $"column {c} null mask");
            CollectionAssert.AreEqual(before[c][skip..], Enumerable.Range(0, rest.RowCount).Select(column.Describe).ToArray(), $"column {c}");
            for (int r = 0; r < rest.RowCount; r++)
            {
                Assert.AreEqual(chunk.Columns[c].IsNull(r + skip), column.IsNull(r), $"column {c} row {r}");
            }
        }

        CollectionAssert.AreEqual(before, Describe(chunk), "the original chunk is left as it was");
    }

    [TestMethod]
    public void Remaining_BinaryColumnNotStartingAtZero_ValuesAndOffsetsRebased()
    {
        // Value i is Data[Offsets[i]..Offsets[i + 1]]; this column's data starts 3 bytes in, as an Arrow slice may.
        byte[] data = Encoding.UTF8.GetBytes("xyzab cdefgh");
        var column = new BinaryColumn(data, [3, 5, 6, 6, 12], 4, [false, false, true, false], ColumnType.Bytes);
        var chunk = new SourceChunk(0, 10, 4, [column]);
        var resuming = new ResumingSource(new ListSource([]), new Dictionary<int, long> { [0] = 11 });

        var rest = (BinaryColumn)resuming.Remaining(chunk)!.Columns[0];

        CollectionAssert.AreEqual(new[] { 0, 1, 1, 7 }, rest.Offsets[..4]);
        Assert.AreEqual(" ", Encoding.UTF8.GetString(rest.Get(0)));
        Assert.IsTrue(rest.IsNull(1));
        Assert.AreEqual("cdefgh", Encoding.UTF8.GetString(rest.Get(2)));
        Assert.AreEqual(ColumnType.Bytes, rest.Type);
    }

    [TestMethod]
    public async Task RunAsync_HandWrittenSource_DropsBeforeSlicesStraddlingKeepsAfter()
    {
        SourceChunk[] chunks =
        [
            EveryType(0, 0), EveryType(1, 0), EveryType(0, 5), EveryType(1, 5), EveryType(0, 10), EveryType(3, 0),
        ];
        var resuming = new ResumingSource(new ListSource(chunks), new Dictionary<int, long> { [0] = 7, [1] = 5 });

        List<SourceChunk> sent = await RunAsync(resuming);

        Assert.HasCount(4, sent);
        Assert.AreEqual((0, 7L, 3), (sent[0].Partition, sent[0].FirstOffset, sent[0].RowCount));
        Assert.AreSame(chunks[3], sent[1], "partition 1 resumes exactly at a chunk boundary");
        Assert.AreSame(chunks[4], sent[2]);
        Assert.AreSame(chunks[5], sent[3]);
    }

    [TestMethod]
    public async Task RunAsync_SyntheticSource_SendsExactlyTheRowsFromEachOffset()
    {
        var options = new SyntheticSourceOptions { Rows = 1_000, Features = 4, ValueBytes = 3, Partitions = 3, ChunkRows = 64 };
        Dictionary<long, string> all = Rows(await RunAsync(new SyntheticSource(options)));
        // Partitions: [0, 333), [333, 666), [666, 1000).
        var committed = new Dictionary<int, long> { [0] = 100, [1] = 666, [2] = 700 };

        Dictionary<long, string> resumed = Rows(await RunAsync(new ResumingSource(new SyntheticSource(options), committed)));

        long[] expected = [.. Enumerable.Range(100, 233).Concat(Enumerable.Range(700, 300)).Select(i => (long)i)];
        CollectionAssert.AreEqual(expected, resumed.Keys.Order().ToArray());
        Assert.IsTrue(resumed.All(row => row.Value == all[row.Key]), "every resumed row has the values of the full run");
    }

    [TestMethod]
    public async Task RunAsync_TargetCompleted_ReturnsWithoutHanging()
    {
        var target = new BufferBlock<SourceChunk>();
        target.Complete();
        var resuming = new ResumingSource(new SyntheticSource(new SyntheticSourceOptions { Rows = 1_000_000, Partitions = 4, ChunkRows = 100 }), new Dictionary<int, long>());

        await resuming.RunAsync(target, TestContext.CancellationToken).WaitAsync(Wait, TestContext.CancellationToken);
    }

    [TestMethod]
    public async Task RunAsync_TargetFaultedSourceIgnoresToken_ReturnsWithoutHanging()
    {
        var target = new BufferBlock<SourceChunk>();
        ((IDataflowBlock)target).Fault(new InvalidOperationException("writer failed"));
        var endless = new EndlessSource();
        var resuming = new ResumingSource(endless, new Dictionary<int, long> { [0] = 3 });

        await resuming.RunAsync(target, TestContext.CancellationToken).WaitAsync(Wait, TestContext.CancellationToken);

        Assert.IsTrue(endless.Declined, "the inner source saw its send refused");
    }

    [TestMethod]
    public async Task RunAsync_TargetDeclinesAfterSomeChunks_ReturnsWithoutHanging()
    {
        var target = new BufferBlock<SourceChunk>(new DataflowBlockOptions { BoundedCapacity = 3 });
        var resuming = new ResumingSource(new EndlessSource(), new Dictionary<int, long>());

        Task run = resuming.RunAsync(target, TestContext.CancellationToken);
        while (target.Count < 3)
        {
            await Task.Delay(1, TestContext.CancellationToken);
        }

        target.Complete();
        while (target.TryReceive(out _))
        {
        }

        await run.WaitAsync(Wait, TestContext.CancellationToken);
    }

    [TestMethod]
    public async Task RunAsync_CallerCancels_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var resuming = new ResumingSource(new SyntheticSource(new SyntheticSourceOptions { Rows = 1_000 }), new Dictionary<int, long>());

        await Assert.ThrowsAsync<OperationCanceledException>(() => resuming.RunAsync(new BufferBlock<SourceChunk>(), cancelled.Token).WaitAsync(Wait, TestContext.CancellationToken));
    }

    [TestMethod]
    public void SchemaDescriptionExpectedRows_FromInnerSource()
    {
        var inner = new SyntheticSource(new SyntheticSourceOptions { Rows = 1_234, Features = 2 });
        var resuming = new ResumingSource(inner, new Dictionary<int, long> { [0] = 10 });

        Assert.AreSame(inner.Schema, resuming.Schema);
        Assert.AreEqual(inner.Description, resuming.Description);
        Assert.AreEqual(1_234L, resuming.ExpectedRows);
    }

    private async Task<List<SourceChunk>> RunAsync(IRowSource source)
    {
        var target = new BufferBlock<SourceChunk>();
        await source.RunAsync(target, TestContext.CancellationToken).WaitAsync(Wait, TestContext.CancellationToken);
        target.Complete();
        return target.TryReceiveAll(out IList<SourceChunk>? items) ? [.. items] : [];
    }

    private static Dictionary<long, string> Rows(List<SourceChunk> chunks)
    {
        var rows = new Dictionary<long, string>();
        foreach (SourceChunk chunk in chunks)
        {
            for (int r = 0; r < chunk.RowCount; r++)
            {
                rows.Add(chunk.FirstOffset + r, string.Join("|", chunk.Columns.Select(c => c.Describe(r))));
            }
        }

        return rows;
    }

    private static string[][] Describe(SourceChunk chunk) =>
        [.. chunk.Columns.Select(c => Enumerable.Range(0, chunk.RowCount).Select(c.Describe).ToArray())];

    /// <summary>Five rows in every column type, with nulls; arrays longer than the count, as pooled buffers are.</summary>
    private static SourceChunk EveryType(int partition, long firstOffset)
    {
        long b = firstOffset * 10;
        byte[] bytes = [0x01, 0x02, 0xFF, 0x10, 0x20, 0x30, 0xAB];
        return new SourceChunk(partition, firstOffset, 5,
        [
            new Int64Column([b + 1, b + 2, b + 3, b + 4, b + 5, -1, -1], 5),
            new Int64Column([1_767_225_600_000_000 + b, 1_767_225_600_000_001, 0, -5, 1_700_000_000_123_456], 5, [false, false, true, false, false], ColumnType.Timestamp),
            new Float64Column([0.5, 1.5, 2.5, double.NaN, -0.0, 99], 5, [false, true, false, false, false, true]),
            new BoolColumn([true, false, true, false, true], 5, [false, false, false, true, false]),
            BinaryColumn.FromStrings(["a" + b, "", null, "dddd", "é✓"]),
            new BinaryColumn(bytes, [0, 1, 3, 3, 6, 7], 5, [false, false, true, false, false], ColumnType.Bytes),
        ]);
    }

    private sealed class ListSource(IReadOnlyList<SourceChunk> chunks) : IRowSource
    {
        public SourceSchema Schema { get; } = new([]);

        public string Description => "list";

        public long? ExpectedRows => null;

        public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
        {
            foreach (SourceChunk chunk in chunks)
            {
                if (!await target.SendAsync(chunk, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Sends chunks of partition 0 until a send is refused; never looks at its token.</summary>
    private sealed class EndlessSource : IRowSource
    {
        public SourceSchema Schema { get; } = new([new SourceField("v", ColumnType.Int64)]);

        public string Description => "endless";

        public long? ExpectedRows => null;

        public bool Declined { get; private set; }

        public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
        {
            for (long offset = 0; ; offset += 2)
            {
                var chunk = new SourceChunk(0, offset, 2, [new Int64Column([offset, offset + 1], 2)]);
                if (!await target.SendAsync(chunk, CancellationToken.None).ConfigureAwait(false))
                {
                    Declined = true;
                    return;
                }
            }
        }
    }
}
