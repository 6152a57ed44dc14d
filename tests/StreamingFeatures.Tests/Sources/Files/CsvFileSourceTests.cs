using System.Text;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Tests.Sources.Files;

/// <summary>CSV text written to temp files, read back through the source: inference, quoting, dead letters, partitions.</summary>
[TestClass]
public sealed class CsvFileSourceTests
{
    private static readonly long Jan2Micros = (new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) / 10;

    [TestMethod]
    public async Task RunAsync_InferredTypes_ReadsEveryValueAndNull()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("rows.csv"),
            "id,score,flag,at,name,nothing\n" +
            "1,1.5,true,2024-01-02T03:04:05.123456Z,alice,\n" +
            ",-2,FALSE,2024-01-02,,\n" +
            "-9223372036854775808,,,,Sé,\n" +
            "42,1e3,false,2024-01-02 00:00:01 UTC,bob,\n");

        CsvFileSource source = await CsvFileSource.OpenAsync(dir.Path, "*.csv");
        SourceChunk chunk = (await TempDirectory.RunAsync(source)).Single();

        CollectionAssert.AreEqual(
            new[] { ColumnType.Int64, ColumnType.Float64, ColumnType.Bool, ColumnType.Timestamp, ColumnType.String, ColumnType.String },
            source.Schema.Fields.Select(f => f.Type).ToArray());
        Assert.AreEqual(0, chunk.FirstOffset);
        Assert.AreEqual(4, chunk.RowCount);
        Assert.AreEqual(0, source.RowsRejected);
        AssertLongs(chunk, 0, 1L, null, long.MinValue, 42L);
        var scores = (Float64Column)chunk.Columns[1];
        CollectionAssert.AreEqual(new double?[] { 1.5, -2, null, 1000 }, Enumerable.Range(0, 4).Select(r => scores.IsNull(r) ? (double?)null : scores.Values[r]).ToArray());
        var flags = (BoolColumn)chunk.Columns[2];
        CollectionAssert.AreEqual(new bool?[] { true, false, null, false }, Enumerable.Range(0, 4).Select(r => flags.IsNull(r) ? (bool?)null : flags.Values[r]).ToArray());
        AssertLongs(chunk, 3, Jan2Micros + 11_045_123_456L, Jan2Micros, null, Jan2Micros + 1_000_000L);
        Assert.AreEqual(ColumnType.Timestamp, chunk.Columns[3].Type);
        AssertStrings(chunk, 4, "alice", null, "Sé", "bob");
        AssertStrings(chunk, 5, null, null, null, null);
    }

    [TestMethod]
    public async Task OpenAsync_SampledValues_InferredByDocumentedRules()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("t.csv"),
            "ints,floats,bools,times,mixed,text,late\n" +
            "1,1,true,2024-01-02T03:04:05Z,1,x,1\n" +
            "-2,2.5,False,2024-01-02T03:04:05+02:00,true,y,2\n" +
            ",NaN,TRUE,2024-01-02,2024-01-02,,3\n" +
            "+3,-1e-3,,2024-01-02 03:04:05.5 UTC,,z,not-a-number\n");

        CsvFileSource inferred = await CsvFileSource.OpenAsync(dir.Path, "t.csv");
        CsvFileSource sampledFewer = await CsvFileSource.OpenAsync(dir.Path, "t.csv", new CsvFileSourceOptions { InferenceRows = 3 });

        CollectionAssert.AreEqual(
            new[] { ColumnType.Int64, ColumnType.Float64, ColumnType.Bool, ColumnType.Timestamp, ColumnType.String, ColumnType.String, ColumnType.String },
            inferred.Schema.Fields.Select(f => f.Type).ToArray());
        Assert.AreEqual(ColumnType.Int64, sampledFewer.Schema.Fields[6].Type, "only the sample decides");
    }

    [TestMethod]
    public async Task RunAsync_BadCell_DeadLetterNamesFileLineColumnValueAndTypeAndFileGoesOn()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("a.csv"), "id,count\nk0,1\n");
        await File.WriteAllTextAsync(dir.File("b.csv"),
            "id,count\n" +
            "k0,1\n" +
            "k1,lots\n" +
            "\"k2\nwith a line break\",3\n" +
            "k3,4.5\n" +
            "k4,5\n" +
            "k5,6\n");
        var sink = new CollectingDeadLetterSink();
        var schema = new SourceSchema([new SourceField("id", ColumnType.String), new SourceField("count", ColumnType.Int64)]);

        CsvFileSource source = await CsvFileSource.OpenAsync(dir.Path, "*.csv", new CsvFileSourceOptions { Schema = schema, AllowQuotedNewlines = true }, sink);
        IList<SourceChunk> chunks = await TempDirectory.RunAsync(source);

        Assert.AreEqual(2, source.RowsRejected);
        DeadLetter[] letters = [.. sink.Kept.OrderBy(d => d.Offset)];
        Assert.HasCount(2, letters);
        Assert.AreEqual(DeadLetterReason.BadValue, letters[0].Reason);
        Assert.AreEqual(1, letters[0].Partition);
        Assert.AreEqual(1L, letters[0].Offset);
        Assert.AreEqual("count", letters[0].Field);
        Assert.AreEqual("b.csv line 3, column 'count': 'lots' is not Int64 (an integer such as -42).", letters[0].Message);
        Assert.AreEqual(3L, letters[1].Offset);
        StringAssert.StartsWith(letters[1].Message, "b.csv line 6, column 'count': '4.5' is not Int64", "line counts the break inside the quoted field");

        // Partition 1 sends rows 0, 2, 4 and 5: no chunk spans a rejected row, offsets stay exact.
        var rows = chunks.Where(c => c.Partition == 1)
            .SelectMany(c => Enumerable.Range(0, c.RowCount).Select(r => (Offset: c.FirstOffset + r, Id: c.Columns[0].Describe(r), Count: ((Int64Column)c.Columns[1]).Values[r])))
            .OrderBy(r => r.Offset)
            .ToArray();
        CollectionAssert.AreEqual(new long[] { 0, 2, 4, 5 }, rows.Select(r => r.Offset).ToArray());
        CollectionAssert.AreEqual(new[] { "k0", "k2\nwith a line break", "k4", "k5" }, rows.Select(r => r.Id).ToArray());
        CollectionAssert.AreEqual(new long[] { 1, 3, 5, 6 }, rows.Select(r => r.Count).ToArray());
        Assert.AreEqual(1, chunks.Single(c => c.Partition == 0).RowCount);
    }

    [TestMethod]
    public async Task RunAsync_RowWithTooFewFields_DeadLetterMissingFields()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("short.csv"), "id,count\nk0,1\nk1\nk2,3\n");
        var sink = new CollectingDeadLetterSink();

        CsvFileSource source = await CsvFileSource.OpenAsync(dir.Path, "*.csv", deadLetters: sink);
        IList<SourceChunk> chunks = await TempDirectory.RunAsync(source);

        DeadLetter letter = sink.Kept.Single();
        Assert.AreEqual(DeadLetterReason.MissingFields, letter.Reason);
        Assert.AreEqual(1L, letter.Offset);
        Assert.AreEqual("short.csv line 3: the record has 1 fields; the header has 2.", letter.Message);
        Assert.AreEqual((3L, 3L, "k1"), (letter.FirstLine, letter.LastLine, letter.Record));
        Assert.AreEqual(2, chunks.Sum(c => c.RowCount));
    }

    [TestMethod]
    public async Task RunAsync_QuotedFields_SeparatorsQuotesAndLineBreaksKept()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("q.csv"),
            "id,note,n\r\n" +
            "1,\"a, b\",1\r\n" +
            "2,\"she said \"\"hi\"\"\",2\r\n" +
            "3,\"two\r\nlines, and a comma\",3\r\n" +
            "4,\"\",4\r\n");

        CsvFileSource source = await CsvFileSource.OpenAsync(dir.Path, "q.csv", new CsvFileSourceOptions { AllowQuotedNewlines = true });
        SourceChunk chunk = (await TempDirectory.RunAsync(source)).Single();

        Assert.AreEqual(ColumnType.String, source.Schema.Fields[1].Type);
        AssertStrings(chunk, 1, "a, b", "she said \"hi\"", "two\r\nlines, and a comma", null);
        AssertLongs(chunk, 2, 1L, 2L, 3L, 4L);
    }

    [TestMethod]
    public async Task RunAsync_GivenSchema_ColumnsByNameInSchemaOrderBytesFromBase64()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("s.csv"), "extra,blob,id\nx,AQL/,007\ny,,008\n");
        var schema = new SourceSchema([new SourceField("id", ColumnType.String), new SourceField("blob", ColumnType.Bytes)]);

        CsvFileSource source = await CsvFileSource.OpenAsync(dir.Path, "s.csv", new CsvFileSourceOptions { Schema = schema });
        SourceChunk chunk = (await TempDirectory.RunAsync(source)).Single();

        Assert.AreSame(schema, source.Schema);
        AssertStrings(chunk, 0, "007", "008");
        var blob = (BinaryColumn)chunk.Columns[1];
        Assert.AreEqual(ColumnType.Bytes, blob.Type);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 255 }, blob.Get(0).ToArray());
        Assert.IsTrue(blob.IsNull(1));
    }

    [TestMethod]
    public async Task RunAsync_GlobOfFiles_PartitionsInPathOrderChunksBoundedOffsetsPerFile()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("part-2.csv"), "n\n" + string.Concat(Enumerable.Range(0, 5).Select(i => $"{200 + i}\n")));
        await File.WriteAllTextAsync(dir.File("part-1.csv"), "n\n" + string.Concat(Enumerable.Range(0, 7).Select(i => $"{100 + i}\n")));
        await File.WriteAllTextAsync(dir.File("nested/part-3.csv"), "n\n300\n");

        CsvFileSource source = await CsvFileSource.OpenAsync(dir.Path, "**/part-*.csv", new CsvFileSourceOptions { ChunkRows = 3 });
        IList<SourceChunk> chunks = await TempDirectory.RunAsync(source);

        CollectionAssert.AreEqual(new[] { "nested/part-3.csv", "part-1.csv", "part-2.csv" }, source.Files.Select(f => Path.GetRelativePath(dir.Path, f).Replace('\\', '/')).ToArray());
        Assert.IsTrue(chunks.All(c => c.RowCount is >= 1 and <= 3));
        long[] bases = [300, 100, 200];
        int[] counts = [1, 7, 5];
        for (int p = 0; p < 3; p++)
        {
            var rows = chunks.Where(c => c.Partition == p)
                .SelectMany(c => Enumerable.Range(0, c.RowCount).Select(r => (Offset: c.FirstOffset + r, N: ((Int64Column)c.Columns[0]).Values[r])))
                .OrderBy(r => r.Offset).ToArray();
            CollectionAssert.AreEqual(Enumerable.Range(0, counts[p]).Select(i => (long)i).ToArray(), rows.Select(r => r.Offset).ToArray());
            Assert.IsTrue(rows.All(r => r.N == bases[p] + r.Offset));
        }
    }

    [TestMethod]
    public async Task OpenAsync_HeaderProblems_EveryProblemNamedBeforeAnyRow()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("1.csv"), "id,count\nk,1\n");
        await File.WriteAllTextAsync(dir.File("2.csv"), "id,other\nk,1\n");
        await File.WriteAllTextAsync(dir.File("3.csv"), "id,id,count\nk,k,1\n");
        await File.WriteAllTextAsync(dir.File("4.csv"), string.Empty);

        FileSourceException error = await Assert.ThrowsExactlyAsync<FileSourceException>(() => CsvFileSource.OpenAsync(dir.Path, "*.csv"));

        Assert.HasCount(3, error.Errors);
        StringAssert.Contains(error.Message, "2.csv: column 'count' is missing; the first file 1.csv has it");
        StringAssert.Contains(error.Message, "3.csv: the header names column 'id' more than once");
        StringAssert.Contains(error.Message, "4.csv: has no header row");
    }

    [TestMethod]
    public async Task OpenAsync_SchemaColumnNotInHeader_ThrowsNamingFileAndColumn()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("1.csv"), "id\nk\n");
        var schema = new SourceSchema([new SourceField("id", ColumnType.String), new SourceField("count", ColumnType.Int64)]);

        FileSourceException error = await Assert.ThrowsExactlyAsync<FileSourceException>(() => CsvFileSource.OpenAsync(dir.Path, "*.csv", new CsvFileSourceOptions { Schema = schema }));

        Assert.AreEqual("1.csv: column 'count' of the schema is not in the header (id).", error.Errors.Single());
    }

    [TestMethod]
    public async Task Map_CsvChunksThroughFeatureSet_EveryGoodRowMappedBadRowsDeadLettered()
    {
        using var dir = new TempDirectory();
        var text = new StringBuilder("user,event_time,clicks\n");
        for (int i = 0; i < 5_000; i++)
        {
            text.Append($"user-{i},2026-01-01T00:00:{i % 60:D2}.{i % 1000:D3}Z,{(i % 1000 == 999 ? "oops" : i.ToString(System.Globalization.CultureInfo.InvariantCulture))}\n");
        }

        await File.WriteAllTextAsync(dir.File("f.csv"), text.ToString());
        var sink = new CollectingDeadLetterSink();
        var featureSet = new FeatureSetOptions
        {
            Table = "features",
            EntityKey = ["user"],
            EventTime = "event_time",
            Families = { ["f"] = new ColumnFamilyOptions { MaxVersions = 1 } },
            Features = [new FeatureOptions { Name = "clicks", Family = "f", Type = FeatureType.Int64 }],
        };

        var schema = new SourceSchema([new("user", ColumnType.String), new("event_time", ColumnType.Timestamp), new("clicks", ColumnType.Int64)]);

        // Inference would type 'clicks' as String: its sample holds "oops". A schema keeps it Int64 and rejects the rows.
        CsvFileSource source = await CsvFileSource.OpenAsync(dir.Path, "f.csv", new CsvFileSourceOptions { Schema = schema }, sink);
        RowMapper mapper = RowMapper.Create(featureSet, source.Schema, 8 << 20);
        int mapped = 0;
        int mapperDeadLetters = 0;
        foreach (SourceChunk chunk in await TempDirectory.RunAsync(source))
        {
            using MappedChunk result = mapper.Map(chunk);
            mapped += result.Rows.RowCount;
            mapperDeadLetters += result.DeadLetters.Count;
        }

        Assert.AreEqual(4_995, mapped);
        Assert.AreEqual(0, mapperDeadLetters);
        Assert.AreEqual(5, source.RowsRejected);
        CollectionAssert.AreEqual(new long[] { 999, 1_999, 2_999, 3_999, 4_999 }, sink.Kept.Select(d => d.Offset).Order().ToArray());
    }

    private static void AssertLongs(SourceChunk chunk, int column, params long?[] expected)
    {
        var values = (Int64Column)chunk.Columns[column];
        CollectionAssert.AreEqual(expected, Enumerable.Range(0, values.Count).Select(r => values.IsNull(r) ? (long?)null : values.Values[r]).ToArray(), $"column {column}");
    }

    private static void AssertStrings(SourceChunk chunk, int column, params string?[] expected)
    {
        var values = (BinaryColumn)chunk.Columns[column];
        CollectionAssert.AreEqual(expected, Enumerable.Range(0, values.Count).Select(r => values.IsNull(r) ? null : Encoding.UTF8.GetString(values.Get(r))).ToArray(), $"column {column}");
    }
}
