using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Tests.Sources;

/// <summary>SyntheticSource read by position gives exactly the rows RunAsync sends, in any range, from any thread.</summary>
[TestClass]
public sealed class SyntheticSourceRandomAccessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [TestMethod]
    [DataRow(KeyDistribution.Sequential, 0)]
    [DataRow(KeyDistribution.Uniform, 5)]
    [DataRow(KeyDistribution.Zipf, 3)]
    public async Task Read_AnyRange_EqualsTheRowsRunAsyncSends(KeyDistribution keys, int valueBytes)
    {
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 2_503, Features = 5, ValueBytes = valueBytes, Keys = keys, KeySpace = 300, Partitions = 3, ChunkRows = 100 });
        Dictionary<long, string> expected = await RunAsync(source);

        foreach ((long first, int count) in new[] { (0L, 2_503), (0L, 1), (833L, 2), (1_000L, 1_024), (2_502L, 1), (2_503L, 0), (17L, 999) })
        {
            SourceChunk chunk = source.Read(first, count);

            Assert.AreEqual(first, chunk.FirstOffset);
            Assert.AreEqual(count, chunk.RowCount);
            for (int r = 0; r < count; r++)
            {
                Assert.AreEqual(expected[first + r], Describe(chunk, r), $"row {first + r} read from {first}");
            }
        }
    }

    [TestMethod]
    [DataRow(0L, 0)]
    [DataRow(833L, 0)]
    [DataRow(834L, 1)]
    [DataRow(1_667L, 1)]
    [DataRow(1_668L, 2)]
    [DataRow(2_502L, 2)]
    public void Read_FirstRow_ChunkCarriesThePartitionRunAsyncGivesIt(long first, int partition)
    {
        // Partitions of 2,503 rows in 3: [0, 834), [834, 1668), [1668, 2503).
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 2_503, Features = 1, Partitions = 3 });

        Assert.AreEqual(partition, source.Read(first, 1).Partition);
    }

    [TestMethod]
    [DataRow(-1L, 1)]
    [DataRow(0L, -1)]
    [DataRow(100L, 1)]
    [DataRow(90L, 11)]
    public void Read_OutsideTheRows_Throws(long first, int count)
    {
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 100, Features = 1 });

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => source.Read(first, count));
    }

    [TestMethod]
    public void Read_ConcurrentReaders_SameValuesAsOneReader()
    {
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 40_000, Features = 4, Keys = KeyDistribution.Zipf, KeySpace = 1_000 });
        string[] single = [.. Enumerable.Range(0, 40).Select(b => Flat(source.Read(b * 1_000L, 1_000)))];

        string[] parallel = new string[40];
        Parallel.For(0, 40, b => parallel[b] = Flat(source.Read(b * 1_000L, 1_000)));

        CollectionAssert.AreEqual(single, parallel);
        Assert.AreEqual(40_000, source.RowCount);
    }

    private static string Describe(SourceChunk chunk, int row) => string.Join("|", chunk.Columns.Select(c => c.Describe(row)));

    private static string Flat(SourceChunk chunk) => string.Join("\n", Enumerable.Range(0, chunk.RowCount).Select(r => Describe(chunk, r)));

    private static async Task<Dictionary<long, string>> RunAsync(SyntheticSource source)
    {
        var rows = new Dictionary<long, string>();
        var sink = new ActionBlock<SourceChunk>(chunk =>
        {
            for (int r = 0; r < chunk.RowCount; r++)
            {
                rows.Add(chunk.FirstOffset + r, Describe(chunk, r));
            }
        });
        await source.RunAsync(sink, CancellationToken.None).WaitAsync(Wait);
        sink.Complete();
        await sink.Completion.WaitAsync(Wait);
        return rows;
    }
}
