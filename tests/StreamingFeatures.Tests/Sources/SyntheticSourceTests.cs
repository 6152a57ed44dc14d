using System.Globalization;
using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Tests.Sources;

/// <summary>The synthetic table is a pure function of its options: same rows whatever the partitioning.</summary>
[TestClass]
public sealed class SyntheticSourceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [TestMethod]
    public async Task RunAsync_AnyPartitioning_SameRows()
    {
        var options = new SyntheticSourceOptions { Rows = 3_000, Features = 6, ValueBytes = 5, ChunkRows = 333, Keys = KeyDistribution.Uniform };

        Dictionary<long, string> one = Flatten(await RunAsync(options with { Partitions = 1 }));
        Dictionary<long, string> four = Flatten(await RunAsync(options with { Partitions = 4 }));
        Dictionary<long, string> seven = Flatten(await RunAsync(options with { Partitions = 7, ChunkRows = 64 }));

        Assert.HasCount(3_000, one);
        CollectionAssert.AreEquivalent(one.ToArray(), four.ToArray());
        CollectionAssert.AreEquivalent(one.ToArray(), seven.ToArray());
    }

    [TestMethod]
    public async Task RunAsync_SameOptionsTwice_SameZipfRows()
    {
        var options = new SyntheticSourceOptions { Rows = 2_000, Features = 4, ValueBytes = 3, Keys = KeyDistribution.Zipf, KeySpace = 100 };

        Dictionary<long, string> first = Flatten(await RunAsync(options));
        Dictionary<long, string> second = Flatten(await RunAsync(options));

        CollectionAssert.AreEquivalent(first.ToArray(), second.ToArray());
    }

    [TestMethod]
    public async Task RunAsync_OtherSeed_OtherValues()
    {
        var options = new SyntheticSourceOptions { Rows = 100, Features = 4, ValueBytes = 3, Partitions = 1 };

        Dictionary<long, string> first = Flatten(await RunAsync(options));
        Dictionary<long, string> other = Flatten(await RunAsync(options with { Seed = 43 }));

        Assert.IsGreaterThan(90, first.Count(kv => other[kv.Key] != kv.Value));
    }

    [TestMethod]
    [DataRow(1_001L, 7, 64)]
    [DataRow(1_000L, 4, 1_024)]
    [DataRow(3L, 5, 2)]
    [DataRow(65_537L, 3, 65_536)]
    public async Task RunAsync_RowsSplitOverPartitions_EveryRowExactlyOnce(long rows, int partitions, int chunkRows)
    {
        var options = new SyntheticSourceOptions { Rows = rows, Features = 1, Partitions = partitions, ChunkRows = chunkRows };

        List<SourceChunk> chunks = await RunAsync(options);

        Assert.AreEqual(rows, chunks.Sum(c => (long)c.RowCount));
        Assert.IsTrue(chunks.All(c => c.RowCount is > 0 && c.RowCount <= chunkRows));
        long[] offsets = [.. chunks.SelectMany(c => Enumerable.Range(0, c.RowCount).Select(r => c.FirstOffset + r)).Order()];
        CollectionAssert.AreEqual(Enumerable.Range(0, (int)rows).Select(i => (long)i).ToArray(), offsets);
        foreach (IGrouping<int, SourceChunk> partition in chunks.GroupBy(c => c.Partition))
        {
            Assert.IsInRange(0, partitions - 1, partition.Key);
            long first = rows * partition.Key / partitions;
            long end = rows * (partition.Key + 1) / partitions;
            Assert.IsTrue(partition.All(c => c.FirstOffset >= first && c.FirstOffset + c.RowCount <= end), $"partition {partition.Key}");
        }
    }

    [TestMethod]
    public async Task RunAsync_NoRows_SendsNothing()
    {
        Assert.IsEmpty(await RunAsync(new SyntheticSourceOptions { Rows = 0 }));
    }

    [TestMethod]
    public async Task RunAsync_Chunk_ColumnsMatchRowFunctions()
    {
        var options = new SyntheticSourceOptions { Rows = 300, Features = 5, ValueBytes = 7, Keys = KeyDistribution.Uniform, KeySpace = 40, ChunkRows = 100, Partitions = 2 };
        var source = new SyntheticSource(options);

        foreach (SourceChunk chunk in await RunAsync(source))
        {
            Assert.HasCount(7, chunk.Columns);
            for (int r = 0; r < chunk.RowCount; r++)
            {
                long row = chunk.FirstOffset + r;
                Assert.AreEqual(SyntheticSource.EntityId(source.EntityOf(row)), chunk.Columns[0].Describe(r));
                Assert.AreEqual(source.EventTimeMicros(row), ((Int64Column)chunk.Columns[1]).Values[r]);
                Assert.AreEqual(source.Int64Value(row, 0), ((Int64Column)chunk.Columns[2]).Values[r]);
                Assert.AreEqual(source.Int64Value(row, 4), ((Int64Column)chunk.Columns[6]).Values[r]);
                Assert.AreEqual(7, ((BinaryColumn)chunk.Columns[5]).Get(r).Length);
            }
        }

        Assert.AreEqual(CellEncoding.ToUnixMicros(options.StartTime) + 299_000, source.EventTimeMicros(299));
    }

    [TestMethod]
    public void Schema_ValueBytes_FeaturesCycleThroughTypes()
    {
        var source = new SyntheticSource(new SyntheticSourceOptions { Features = 5, ValueBytes = 8 });

        CollectionAssert.AreEqual(
            new[] { ColumnType.String, ColumnType.Timestamp, ColumnType.Int64, ColumnType.Float64, ColumnType.Bool, ColumnType.String, ColumnType.Int64 },
            source.Schema.Fields.Select(f => f.Type).ToArray());
        CollectionAssert.AreEqual(
            new[] { "entity_id", "event_time", "f0", "f1", "f2", "f3", "f4" },
            source.Schema.Fields.Select(f => f.Name).ToArray());
    }

    [TestMethod]
    public async Task FeatureSet_GeneratedChunk_MapsWithoutDeadLetters()
    {
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 500, Features = 8, ValueBytes = 16, Partitions = 1 });
        RowMapper mapper = RowMapper.Create(source.FeatureSet("synthetic"), source.Schema, 1024 * 1024);

        foreach (SourceChunk chunk in await RunAsync(source))
        {
            using MappedChunk mapped = mapper.Map(chunk);

            Assert.IsEmpty(mapped.DeadLetters);
            Assert.AreEqual(chunk.RowCount, mapped.Rows.RowCount);
            Assert.AreEqual(chunk.RowCount * 8L, mapped.Rows.MutationCount);
        }
    }

    [TestMethod]
    public void EntityOf_Sequential_WrapsAroundKeySpace()
    {
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 25, KeySpace = 10 });

        CollectionAssert.AreEqual(
            Enumerable.Range(0, 25).Select(i => (long)(i % 10)).ToArray(),
            Enumerable.Range(0, 25).Select(i => source.EntityOf(i)).ToArray());
        Assert.AreEqual("user-0000000042", SyntheticSource.EntityId(42));
    }

    [TestMethod]
    public void EntityOf_Zipf_TopEntityFrequencyMatchesTheory()
    {
        const int KeySpace = 1_000;
        const double Exponent = 1.1;
        const int Samples = 200_000;
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = Samples, Keys = KeyDistribution.Zipf, KeySpace = KeySpace, ZipfExponent = Exponent });

        long[] counts = new long[KeySpace];
        for (long row = 0; row < Samples; row++)
        {
            long entity = source.EntityOf(row);
            Assert.IsTrue(entity is >= 0 and < KeySpace, entity.ToString(CultureInfo.InvariantCulture));
            counts[entity]++;
        }

        // p(k) = k^-s / H(n, s). Binomial standard error; five of them keeps a false failure below one in a million.
        double harmonic = Enumerable.Range(1, KeySpace).Sum(k => Math.Pow(k, -Exponent));
        for (int rank = 1; rank <= 3; rank++)
        {
            double expected = Math.Pow(rank, -Exponent) / harmonic;
            double tolerance = 5 * Math.Sqrt(expected * (1 - expected) / Samples);
            double observed = (double)counts[rank - 1] / Samples;

            Assert.AreEqual(expected, observed, tolerance, $"rank {rank}: expected {expected:F4}, observed {observed:F4}");
        }

        Assert.AreEqual(0.1795, 1 / harmonic, 0.01, "p(1) for n = 1000, s = 1.1");
    }

    [TestMethod]
    public void EntityOf_Uniform_EveryEntityNearItsShare()
    {
        const int KeySpace = 50;
        const int Samples = 100_000;
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = Samples, Keys = KeyDistribution.Uniform, KeySpace = KeySpace });

        long[] counts = new long[KeySpace];
        for (long row = 0; row < Samples; row++)
        {
            counts[source.EntityOf(row)]++;
        }

        double expected = (double)Samples / KeySpace;
        double tolerance = 6 * Math.Sqrt(expected * (1 - (1.0 / KeySpace)));
        Assert.IsTrue(counts.All(c => Math.Abs(c - expected) <= tolerance), string.Join(",", counts.Select(c => c.ToString(CultureInfo.InvariantCulture))));
    }

    [TestMethod]
    public void Validate_EveryBadSetting_AllListedInOneError()
    {
        var options = new SyntheticSourceOptions
        {
            Rows = -1,
            Features = 1_001,
            ValueBytes = -1,
            KeySpace = 0,
            ZipfExponent = double.NaN,
            Partitions = 0,
            ChunkRows = 70_000,
            Keys = (KeyDistribution)9,
        };

        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(options.Validate);

        foreach (string fragment in new[]
        {
            "Rows is -1; allowed 0 to 1000000000000",
            "Features is 1001; allowed 1 to 1000",
            "ValueBytes is -1",
            "KeySpace is 0",
            "ZipfExponent is NaN",
            "Partitions is 0; allowed 1 to 1024",
            "ChunkRows is 70000; allowed 1 to 65536",
            "Keys is 9",
        })
        {
            StringAssert.Contains(error.Message, fragment);
        }
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(-1.0)]
    [DataRow(10.5)]
    public void Validate_ZipfExponentOutOfRange_Rejected(double exponent)
    {
        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(() => new SyntheticSource(new SyntheticSourceOptions { ZipfExponent = exponent }));

        StringAssert.Contains(error.Message, "ZipfExponent");
    }

    [TestMethod]
    public void Validate_Defaults_Valid()
    {
        var options = new SyntheticSourceOptions();

        options.Validate();

        Assert.AreEqual(1_000_000, options.EffectiveKeySpace);
    }

    [TestMethod]
    public async Task RunAsync_Canceled_Throws()
    {
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 10_000 });
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => source.RunAsync(new BufferBlock<SourceChunk>(), cancel.Token).WaitAsync(Wait));
    }

    private static Task<List<SourceChunk>> RunAsync(SyntheticSourceOptions options) => RunAsync(new SyntheticSource(options));

    private static async Task<List<SourceChunk>> RunAsync(SyntheticSource source)
    {
        var target = new BufferBlock<SourceChunk>();
        await source.RunAsync(target, CancellationToken.None).WaitAsync(Wait);
        return target.TryReceiveAll(out IList<SourceChunk>? chunks) ? [.. chunks] : [];
    }

    /// <summary>Every row as text, by its position in the table.</summary>
    private static Dictionary<long, string> Flatten(List<SourceChunk> chunks)
    {
        var rows = new Dictionary<long, string>();
        foreach (SourceChunk chunk in chunks)
        {
            for (int r = 0; r < chunk.RowCount; r++)
            {
                Assert.IsTrue(rows.TryAdd(chunk.FirstOffset + r, string.Join("|", chunk.Columns.Select(c => c.Describe(r)))), "row sent twice");
            }
        }

        return rows;
    }
}
