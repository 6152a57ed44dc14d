using System.Text;
using Parquet.Schema;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Tests.Sources.Files;

/// <summary>Parquet files written with Parquet.Net, read back through the source: types, nulls, partitions, offsets.</summary>
[TestClass]
public sealed class ParquetFileSourceTests
{
    private static readonly DateTime Moment = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1_234_567);
    private static readonly long MomentMicros = (Moment.Ticks - DateTime.UnixEpoch.Ticks) / 10;
    private static readonly long MomentMillis = MomentMicros / 1000 * 1000;
    private static readonly long MidnightMicros = (new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) / 10;

    [TestMethod]
    public async Task RunAsync_EverySupportedType_MapsTypeAndReadsEveryValueAndNull()
    {
        using var dir = new TempDirectory();
        DataField[] fields =
        [
            new DataField<long>("i64"), new DataField<int?>("i32"), new DataField<short>("i16"), new DataField<sbyte>("i8"),
            new DataField<byte>("u8"), new DataField<ushort>("u16"), new DataField<uint>("u32"),
            new DataField<double?>("f64"), new DataField<float>("f32"), new DataField<bool?>("flag"),
            new DataField<string>("text"), new DataField<byte[]>("blob"),
            new DateTimeDataField("ts_millis", DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Millis),
            new DateTimeDataField("ts_micros", DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Micros),
            new DateTimeDataField("ts_nanos", DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Nanos),
            new DateTimeDataField("ts_legacy_micros", DateTimeFormat.DateAndTimeMicros),
            new DateTimeDataField("ts_int96", DateTimeFormat.Impala),
            new DateTimeDataField("day", DateTimeFormat.Date, isNullable: true),
        ];
        DateTime[] moments = [Moment, Moment, Moment];
        await ParquetTestFiles.WriteAsync(dir.File("all.parquet"), fields, 1,
            (rg, f, _) => rg.WriteAsync<long>(f, new long[] { long.MinValue, 0, long.MaxValue }),
            (rg, f, _) => rg.WriteAsync<int>(f, new int?[] { int.MinValue, null, int.MaxValue }),
            (rg, f, _) => rg.WriteAsync<short>(f, new short[] { short.MinValue, 0, short.MaxValue }),
            (rg, f, _) => rg.WriteAsync<sbyte>(f, new sbyte[] { sbyte.MinValue, 0, sbyte.MaxValue }),
            (rg, f, _) => rg.WriteAsync<byte>(f, new byte[] { 0, 1, byte.MaxValue }),
            (rg, f, _) => rg.WriteAsync<ushort>(f, new ushort[] { 0, 1, ushort.MaxValue }),
            (rg, f, _) => rg.WriteAsync<uint>(f, new uint[] { 0, 1, uint.MaxValue }),
            (rg, f, _) => rg.WriteAsync<double>(f, new double?[] { null, -1.5, double.MaxValue }),
            (rg, f, _) => rg.WriteAsync<float>(f, new float[] { 0.25f, -2f, float.MaxValue }),
            (rg, f, _) => rg.WriteAsync<bool>(f, new bool?[] { true, null, false }),
            (rg, f, _) => rg.WriteAsync(f, new string?[] { "Sé", null, "" }!),
            (rg, f, _) => rg.WriteAsync(f, new byte[]?[] { [1, 2, 255], [], null }!),
            (rg, f, _) => rg.WriteAsync<DateTime>(f, moments),
            (rg, f, _) => rg.WriteAsync<DateTime>(f, moments),
            (rg, f, _) => rg.WriteAsync<DateTime>(f, moments),
            (rg, f, _) => rg.WriteAsync<DateTime>(f, moments),
            (rg, f, _) => rg.WriteAsync<DateTime>(f, moments),
            (rg, f, _) => rg.WriteAsync<DateTime>(f, new DateTime?[] { Moment, null, DateTime.UnixEpoch.AddDays(-1) }));

        ParquetFileSource source = await ParquetFileSource.OpenAsync(dir.Path, "*.parquet");
        SourceChunk chunk = (await TempDirectory.RunAsync(source)).Single();

        ColumnType[] expected =
        [
            ColumnType.Int64, ColumnType.Int64, ColumnType.Int64, ColumnType.Int64, ColumnType.Int64, ColumnType.Int64, ColumnType.Int64,
            ColumnType.Float64, ColumnType.Float64, ColumnType.Bool, ColumnType.String, ColumnType.Bytes,
            ColumnType.Timestamp, ColumnType.Timestamp, ColumnType.Timestamp, ColumnType.Timestamp, ColumnType.Timestamp, ColumnType.Date,
        ];
        CollectionAssert.AreEqual(expected, source.Schema.Fields.Select(f => f.Type).ToArray());
        CollectionAssert.AreEqual(fields.Select(f => f.Name).ToArray(), source.Schema.Fields.Select(f => f.Name).ToArray());
        Assert.IsFalse(source.Schema.Fields[0].Nullable);
        Assert.IsTrue(source.Schema.Fields[1].Nullable);
        Assert.AreEqual(3L, source.ExpectedRows);
        Assert.AreEqual(0, chunk.Partition);
        Assert.AreEqual(0, chunk.FirstOffset);
        Assert.AreEqual(3, chunk.RowCount);

        AssertLongs(chunk, 0, long.MinValue, 0L, long.MaxValue);
        AssertLongs(chunk, 1, (long)int.MinValue, null, (long)int.MaxValue);
        AssertLongs(chunk, 2, (long)short.MinValue, 0L, (long)short.MaxValue);
        AssertLongs(chunk, 3, (long)sbyte.MinValue, 0L, (long)sbyte.MaxValue);
        AssertLongs(chunk, 4, 0L, 1L, 255L);
        AssertLongs(chunk, 5, 0L, 1L, (long)ushort.MaxValue);
        AssertLongs(chunk, 6, 0L, 1L, (long)uint.MaxValue);
        AssertDoubles(chunk, 7, null, -1.5, double.MaxValue);
        AssertDoubles(chunk, 8, 0.25, -2.0, (double)float.MaxValue);
        var flags = (BoolColumn)chunk.Columns[9];
        Assert.IsTrue(flags.Values[0]);
        Assert.IsTrue(flags.IsNull(1));
        Assert.IsFalse(flags.IsNull(2) || flags.Values[2]);
        var text = (BinaryColumn)chunk.Columns[10];
        Assert.AreEqual(ColumnType.String, text.Type);
        Assert.AreEqual("Sé", Encoding.UTF8.GetString(text.Get(0)));
        Assert.IsTrue(text.IsNull(1));
        Assert.IsFalse(text.IsNull(2));
        Assert.AreEqual(0, text.Get(2).Length);
        var blob = (BinaryColumn)chunk.Columns[11];
        Assert.AreEqual(ColumnType.Bytes, blob.Type);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 255 }, blob.Get(0).ToArray());
        Assert.IsFalse(blob.IsNull(1));
        Assert.AreEqual(0, blob.Get(1).Length);
        Assert.IsTrue(blob.IsNull(2));
        AssertLongs(chunk, 12, MomentMillis, MomentMillis, MomentMillis);
        AssertLongs(chunk, 13, MomentMicros, MomentMicros, MomentMicros);
        AssertLongs(chunk, 14, MomentMicros, MomentMicros, MomentMicros);
        AssertLongs(chunk, 15, MomentMicros, MomentMicros, MomentMicros);
        AssertLongs(chunk, 16, MomentMicros, MomentMicros, MomentMicros);
        AssertLongs(chunk, 17, MidnightMicros, null, -86_400_000_000L);
    }

    [TestMethod]
    public async Task RunAsync_DecimalColumn_ReadsExactNumericAtTheColumnScale()
    {
        using var dir = new TempDirectory();
        await WriteDecimalsAsync(dir.File("d.parquet"));

        ParquetFileSource source = await ParquetFileSource.OpenAsync(dir.Path, "*.parquet");
        SourceChunk chunk = (await TempDirectory.RunAsync(source)).Single();

        Assert.AreEqual(ColumnType.Numeric, source.Schema.Fields[1].Type);
        var prices = (NumericColumn)chunk.Columns[1];
        Assert.AreEqual(2, prices.Scale);
        CollectionAssert.AreEqual(new Int128[] { 1234, -1 }, prices.Values[..2]);
        Assert.AreEqual("12.34", prices.Describe(0));
    }

    [TestMethod]
    public async Task RunAsync_BigQueryNumericExport_ReadsDecimal38Scale9Exactly()
    {
        using var dir = new TempDirectory();
        await ParquetTestFiles.WriteAsync(dir.File("n.parquet"), [new DecimalDataField("amount", 38, 9, isNullable: true)], 1,
            (rg, f, _) => rg.WriteAsync<decimal>(f, new decimal?[] { 79228162514.264337593m, null, -0.000000001m, 0m }));

        ParquetFileSource source = await ParquetFileSource.OpenAsync(dir.Path, "*.parquet");
        SourceChunk chunk = (await TempDirectory.RunAsync(source)).Single();

        var amounts = (NumericColumn)chunk.Columns[0];
        Assert.AreEqual(9, amounts.Scale);
        Assert.AreEqual("79228162514.264337593", amounts.Describe(0));
        Assert.IsTrue(amounts.IsNull(1));
        Assert.AreEqual("-0.000000001", amounts.Describe(2));
        Assert.AreEqual("0", amounts.Describe(3));
    }

    [TestMethod]
    public async Task RunAsync_DecimalAsFloat64_ReadsDoubles()
    {
        using var dir = new TempDirectory();
        await WriteDecimalsAsync(dir.File("d.parquet"));

        ParquetFileSource source = await ParquetFileSource.OpenAsync(dir.Path, "*.parquet", new ParquetFileSourceOptions { DecimalAsFloat64 = true });
        SourceChunk chunk = (await TempDirectory.RunAsync(source)).Single();

        Assert.AreEqual(ColumnType.Float64, source.Schema.Fields[1].Type);
        AssertDoubles(chunk, 1, 12.34, -0.01);
    }

    [TestMethod]
    public async Task OpenAsync_UInt64Column_UnsupportedErrorNamesColumn()
    {
        using var dir = new TempDirectory();
        await ParquetTestFiles.WriteAsync(dir.File("u.parquet"), [new DataField<ulong>("big")], 1,
            (rg, f, _) => rg.WriteAsync<ulong>(f, new ulong[] { ulong.MaxValue }));

        FileSourceException error = await Assert.ThrowsExactlyAsync<FileSourceException>(() => ParquetFileSource.OpenAsync(dir.Path, "*.parquet"));

        StringAssert.Contains(error.Message, "'big'");
        StringAssert.Contains(error.Message, "UINT64");
    }

    [TestMethod]
    public async Task OpenAsync_ColumnsSelected_UnsupportedColumnNotSelectedIsIgnored()
    {
        using var dir = new TempDirectory();
        await WriteDecimalsAsync(dir.File("d.parquet"));

        ParquetFileSource source = await ParquetFileSource.OpenAsync(dir.Path, "*.parquet", new ParquetFileSourceOptions { Columns = ["id"] });
        SourceChunk chunk = (await TempDirectory.RunAsync(source)).Single();

        Assert.HasCount(1, source.Schema.Fields);
        AssertLongs(chunk, 0, 1L, 2L);
    }

    [TestMethod]
    public async Task RunAsync_GlobOverFolders_FilesInPathOrderArePartitionsWithOffsetsPerFile()
    {
        using var dir = new TempDirectory();
        await ParquetTestFiles.WriteIdsAsync(dir.File("b.parquet"), 2_000, 5);
        await ParquetTestFiles.WriteIdsAsync(dir.File("a.parquet"), 1_000, 4, 3);
        await ParquetTestFiles.WriteIdsAsync(dir.File("sub/c.parquet"), 3_000, 2);
        await ParquetTestFiles.WriteIdsAsync(dir.File("ignored.parquet.bak"), 9_000, 2);
        await File.WriteAllTextAsync(dir.File("notes.txt"), "not parquet");

        ParquetFileSource source = await ParquetFileSource.OpenAsync(dir.Path, "**/*.parquet", new ParquetFileSourceOptions { ChunkRows = 2, MaxConcurrentFiles = 3 });
        IList<SourceChunk> chunks = await TempDirectory.RunAsync(source);

        CollectionAssert.AreEqual(new[] { "a.parquet", "b.parquet", "sub/c.parquet" }, source.Files.Select(f => Path.GetRelativePath(dir.Path, f).Replace('\\', '/')).ToArray());
        Assert.AreEqual(14L, source.ExpectedRows);
        Assert.IsTrue(chunks.All(c => c.RowCount is >= 1 and <= 2));
        long[] firstIds = [1_000, 2_000, 3_000];
        int[] rowsPerFile = [7, 5, 2];
        for (int partition = 0; partition < 3; partition++)
        {
            // Offsets run on across row groups: a.parquet's second row group starts at offset 4.
            var rows = chunks.Where(c => c.Partition == partition).OrderBy(c => c.FirstOffset)
                .SelectMany(c => Enumerable.Range(0, c.RowCount).Select(r => (Offset: c.FirstOffset + r, Id: ((Int64Column)c.Columns[0]).Values[r], Name: c.Columns[1].Describe(r))))
                .ToList();
            CollectionAssert.AreEqual(Enumerable.Range(0, rowsPerFile[partition]).Select(i => (long)i).ToArray(), rows.Select(r => r.Offset).ToArray());
            Assert.IsTrue(rows.All(r => r.Id == firstIds[partition] + r.Offset && r.Name == $"n{r.Id}"));
        }

        Assert.IsTrue(chunks.Where(c => c.Partition == 0).Any(c => c.FirstOffset == 4), "a row group boundary starts a chunk");
    }

    [TestMethod]
    public async Task RunAsync_RowGroupLargerThanChunk_ChunksAtMostChunkRows()
    {
        using var dir = new TempDirectory();
        await ParquetTestFiles.WriteIdsAsync(dir.File("big.parquet"), 0, 20_000);

        ParquetFileSource source = await ParquetFileSource.OpenAsync(dir.Path, "big.parquet");
        IList<SourceChunk> chunks = await TempDirectory.RunAsync(source);

        CollectionAssert.AreEqual(new[] { 8_192, 8_192, 3_616 }, chunks.OrderBy(c => c.FirstOffset).Select(c => c.RowCount).ToArray());
        CollectionAssert.AreEqual(new long[] { 0, 8_192, 16_384 }, chunks.OrderBy(c => c.FirstOffset).Select(c => c.FirstOffset).ToArray());
        Assert.AreEqual(20_000L, source.ExpectedRows);
        var last = (Int64Column)chunks.OrderBy(c => c.FirstOffset).Last().Columns[0];
        Assert.AreEqual(19_999L, last.Values[3_615]);
    }

    [TestMethod]
    public async Task OpenAsync_LaterFileTypeDiffers_ThrowsNamingFileColumnAndBothTypes()
    {
        using var dir = new TempDirectory();
        await ParquetTestFiles.WriteIdsAsync(dir.File("1.parquet"), 0, 3);
        await ParquetTestFiles.WriteAsync(dir.File("2.parquet"), [new DataField<string>("id"), new DataField<string>("name")], 1,
            (rg, f, _) => rg.WriteAsync(f, new[] { "x" }),
            (rg, f, _) => rg.WriteAsync(f, new[] { "y" }));

        FileSourceException error = await Assert.ThrowsExactlyAsync<FileSourceException>(() => ParquetFileSource.OpenAsync(dir.Path, "*.parquet"));

        string problem = error.Errors.Single();
        StringAssert.Contains(problem, "2.parquet");
        StringAssert.Contains(problem, "'id'");
        StringAssert.Contains(problem, "BYTE_ARRAY STRING (String)");
        StringAssert.Contains(problem, "1.parquet");
        StringAssert.Contains(problem, "INT64");
        StringAssert.Contains(problem, "(Int64)");
    }

    [TestMethod]
    public async Task OpenAsync_LaterFileLacksColumn_ThrowsNamingFileAndColumn()
    {
        using var dir = new TempDirectory();
        await ParquetTestFiles.WriteIdsAsync(dir.File("1.parquet"), 0, 3);
        await ParquetTestFiles.WriteAsync(dir.File("2.parquet"), [new DataField<long>("id")], 1,
            (rg, f, _) => rg.WriteAsync<long>(f, new long[] { 1 }));

        FileSourceException error = await Assert.ThrowsExactlyAsync<FileSourceException>(() => ParquetFileSource.OpenAsync(dir.Path, "*.parquet"));

        StringAssert.Contains(error.Errors.Single(), "2.parquet: column 'name' is missing");
    }

    [TestMethod]
    public async Task OpenAsync_Int32InOneFileInt64InAnother_SameEngineTypeAccepted()
    {
        using var dir = new TempDirectory();
        await ParquetTestFiles.WriteAsync(dir.File("1.parquet"), [new DataField<long>("n")], 1, (rg, f, _) => rg.WriteAsync<long>(f, new long[] { 5_000_000_000 }));
        await ParquetTestFiles.WriteAsync(dir.File("2.parquet"), [new DataField<int?>("n")], 1, (rg, f, _) => rg.WriteAsync<int>(f, new int?[] { 7, null }));

        ParquetFileSource source = await ParquetFileSource.OpenAsync(dir.Path, "*.parquet");
        IList<SourceChunk> chunks = await TempDirectory.RunAsync(source);

        Assert.IsTrue(source.Schema.Fields[0].Nullable, "nullable in any file makes the source column nullable");
        AssertLongs(chunks.Single(c => c.Partition == 0), 0, 5_000_000_000L);
        AssertLongs(chunks.Single(c => c.Partition == 1), 0, 7L, null);
    }

    [TestMethod]
    public async Task OpenAsync_NotParquetOrNoMatch_ThrowsNamingFileOrGlob()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("bad.parquet"), "this is not parquet");

        FileSourceException notParquet = await Assert.ThrowsExactlyAsync<FileSourceException>(() => ParquetFileSource.OpenAsync(dir.Path, "*.parquet"));
        FileSourceException noMatch = await Assert.ThrowsExactlyAsync<FileSourceException>(() => ParquetFileSource.OpenAsync(dir.Path, "*.none"));

        StringAssert.Contains(notParquet.Message, "bad.parquet");
        StringAssert.Contains(noMatch.Message, "'*.none' matches no file");
    }

    [TestMethod]
    public async Task Map_ParquetChunksThroughFeatureSet_EveryRowMappedNoDeadLetters()
    {
        using var dir = new TempDirectory();
        const int Rows = 10_000;
        DateTime start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        DataField[] fields =
        [
            new DataField<string>("user"),
            new DateTimeDataField("event_time", DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Micros),
            new DataField<long>("clicks"), new DataField<double?>("score"), new DataField<bool>("active"),
        ];
        await ParquetTestFiles.WriteAsync(dir.File("features.parquet"), fields, 2,
            (rg, f, g) => rg.WriteAsync(f, Enumerable.Range(g * Rows / 2, Rows / 2).Select(i => $"user-{i}").ToArray()),
            (rg, f, g) => rg.WriteAsync<DateTime>(f, Enumerable.Range(g * Rows / 2, Rows / 2).Select(i => start.AddMilliseconds(i)).ToArray()),
            (rg, f, g) => rg.WriteAsync<long>(f, Enumerable.Range(g * Rows / 2, Rows / 2).Select(i => (long)i).ToArray()),
            (rg, f, g) => rg.WriteAsync<double>(f, Enumerable.Range(g * Rows / 2, Rows / 2).Select(i => i % 10 == 0 ? (double?)null : i / 2.0).ToArray()),
            (rg, f, g) => rg.WriteAsync<bool>(f, Enumerable.Range(g * Rows / 2, Rows / 2).Select(i => i % 2 == 0).ToArray()));
        var featureSet = new FeatureSetOptions
        {
            Table = "features",
            EntityKey = ["user"],
            EventTime = "event_time",
            Families = { ["f"] = new ColumnFamilyOptions { MaxVersions = 1 } },
            Features =
            [
                new FeatureOptions { Name = "clicks", Family = "f", Type = FeatureType.Int64 },
                new FeatureOptions { Name = "score", Family = "f", Type = FeatureType.Float64, Nullable = true },
                new FeatureOptions { Name = "active", Family = "f", Type = FeatureType.Bool },
            ],
        };

        ParquetFileSource source = await ParquetFileSource.OpenAsync(dir.Path, "*.parquet");
        RowMapper mapper = RowMapper.Create(featureSet, source.Schema, 8 << 20);
        int mapped = 0;
        int deadLetters = 0;
        foreach (SourceChunk chunk in await TempDirectory.RunAsync(source))
        {
            using MappedChunk result = mapper.Map(chunk);
            mapped += result.Rows.RowCount;
            deadLetters += result.DeadLetters.Count;
        }

        Assert.AreEqual(Rows, mapped);
        Assert.AreEqual(0, deadLetters);
    }

    private static Task WriteDecimalsAsync(string path) => ParquetTestFiles.WriteAsync(path, [new DataField<long>("id"), new DecimalDataField("price", 10, 2)], 1,
        (rg, f, _) => rg.WriteAsync<long>(f, new long[] { 1, 2 }),
        (rg, f, _) => rg.WriteAsync<decimal>(f, new[] { 12.34m, -0.01m }));

    private static void AssertLongs(SourceChunk chunk, int column, params long?[] expected)
    {
        var values = (Int64Column)chunk.Columns[column];
        Assert.AreEqual(expected.Length, values.Count);
        for (int r = 0; r < expected.Length; r++)
        {
            Assert.AreEqual(expected[r], values.IsNull(r) ? null : values.Values[r], $"column {column} row {r}");
        }
    }

    private static void AssertDoubles(SourceChunk chunk, int column, params double?[] expected)
    {
        var values = (Float64Column)chunk.Columns[column];
        Assert.AreEqual(expected.Length, values.Count);
        for (int r = 0; r < expected.Length; r++)
        {
            Assert.AreEqual(expected[r], values.IsNull(r) ? null : values.Values[r], $"column {column} row {r}");
        }
    }
}
