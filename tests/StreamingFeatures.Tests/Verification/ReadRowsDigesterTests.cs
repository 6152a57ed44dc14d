using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Tests.Pipeline;
using StreamingFeatures.Verification;
using Chunk = Google.Cloud.Bigtable.V2.ReadRowsResponse.Types.CellChunk;
using PendingRow = StreamingFeatures.Verification.ReadBackJob.PendingRow;

namespace StreamingFeatures.Tests.Verification;

/// <summary>
/// Digests computed while parsing ReadRows bytes equal those of the merged rows (<see cref="StreamingFeatures.Bigtable.ReadRowsMerger"/> then
/// <see cref="RowDigester"/>), however the server chunks the rows, and the chunk rules are enforced the same way.
/// </summary>
[TestClass]
public sealed class ReadRowsDigesterTests
{
    private const long Timestamp = MapperTestData.CellTimestamp;

    [TestMethod]
    [DataRow(NullHandling.Skip, 1)]
    [DataRow(NullHandling.Skip, 2)]
    [DataRow(NullHandling.DeleteColumn, 3)]
    [DataRow(NullHandling.DeleteColumn, 4)]
    public void Digest_RowsChunkedAnyWay_EqualsMergedRowDigests(NullHandling nulls, int seed)
    {
        var random = new Random(seed);
        RowMapper mapper = MapperTestData.Mapper(nulls);
        InputRow[] inputs = [.. MapperTestData.Users(60).Select((row, i) => i % 7 == 3 ? row with { Country = null } : row)];
        using MappedChunk chunk = MapperTestData.Map(mapper, inputs);
        MutateRowsRequest request = MapperTestData.Decode(chunk.Rows);
        List<Row> stored = [.. request.Entries.Select(MapperTestData.ToStoredRow)];
        for (int i = 0; i < stored.Count; i++)
        {
            Disturb(stored[i], i, random);
        }

        // Every other row is requested, a few twice (two events of one entity), some that do not exist; the stream
        // also holds rows nobody asked for.
        var pending = new List<PendingRow>();
        for (int i = 0; i < stored.Count; i += 2)
        {
            pending.Add(new PendingRow(stored[i].Key, chunk.Rows[i].Digest, Timestamp, -1, chunk.Rows.Mutations(i).ToArray()));
            if (i % 10 == 0)
            {
                pending.Add(new PendingRow(stored[i].Key, 0, Timestamp + 60_000_000, -1, default));
            }
        }

        pending.Add(new PendingRow(ByteString.CopyFromUtf8("absent-a"), 0, Timestamp, -1, default));
        pending.Add(new PendingRow(ByteString.CopyFromUtf8("~absent-z"), 0, Timestamp, -1, default));
        pending = [.. pending.OrderBy(_ => random.Next())];
        List<Row> sorted = [.. stored.OrderBy(r => r.Key.ToByteArray(), ByteArrayOrder.Instance)];

        var digester = new ReadRowsDigester(new RowDigester(mapper));
        digester.Start(pending);
        foreach (ReadRowsResponse response in Chunked(sorted, random))
        {
            digester.Add(response.ToByteArray());
        }

        digester.Complete();

        var reference = new RowDigester(mapper);
        int found = 0;
        for (int i = 0; i < pending.Count; i++)
        {
            Row? row = stored.FirstOrDefault(r => r.Key == pending[i].Key);
            Assert.AreEqual(row is not null, digester.TryGetDigest(i, out ulong digest), pending[i].Key.ToStringUtf8());
            if (row is not null)
            {
                Assert.AreEqual(reference.Digest(row, pending[i].TimestampMicros), digest, $"{pending[i].Key.ToStringUtf8()} at {pending[i].TimestampMicros}");
                found++;
            }
        }

        Assert.AreEqual(pending.Count - 2, found);
        Assert.IsTrue(Enumerable.Range(0, pending.Count).Count(i => digester.TryGetDigest(i, out ulong d) && d == pending[i].Digest) >= 20, "untouched rows match the write side");
    }

    [TestMethod]
    public void Digest_ChangedValue_DiffersFromWriteSide()
    {
        RowMapper mapper = MapperTestData.Mapper();
        using MappedChunk chunk = MapperTestData.Map(mapper, MapperTestData.Users(2));
        List<Row> stored = [.. MapperTestData.Decode(chunk.Rows).Entries.Select(MapperTestData.ToStoredRow)];
        stored[1].Families[0].Columns[0].Cells[0].Value = ByteString.CopyFromUtf8("changed");
        var digester = new ReadRowsDigester(new RowDigester(mapper));
        digester.Start([new PendingRow(stored[0].Key, chunk.Rows[0].Digest, Timestamp, -1, chunk.Rows.Mutations(0).ToArray()), new PendingRow(stored[1].Key, chunk.Rows[1].Digest, Timestamp, -1, chunk.Rows.Mutations(1).ToArray())]);

        foreach (ReadRowsResponse response in Chunked([.. stored.OrderBy(r => r.Key.ToByteArray(), ByteArrayOrder.Instance)], new Random(9)))
        {
            digester.Add(response.ToByteArray());
        }

        Assert.IsTrue(digester.TryGetDigest(0, out ulong first));
        Assert.IsTrue(digester.TryGetDigest(1, out ulong second));
        Assert.AreEqual(chunk.Rows[0].Digest, first);
        Assert.AreNotEqual(chunk.Rows[1].Digest, second);
    }

    [TestMethod]
    public void Start_AfterAFailedAttempt_ForgetsEarlierDigests()
    {
        RowMapper mapper = MapperTestData.Mapper();
        using MappedChunk chunk = MapperTestData.Map(mapper, MapperTestData.Users(1));
        Row row = MapperTestData.ToStoredRow(MapperTestData.Decode(chunk.Rows).Entries[0]);
        PendingRow[] keys = [new PendingRow(row.Key, chunk.Rows[0].Digest, Timestamp, -1, chunk.Rows.Mutations(0).ToArray())];
        var digester = new ReadRowsDigester(new RowDigester(mapper));
        digester.Start(keys);
        digester.Add(Response(Cell(row.Key, "f", "score", Timestamp, "x", commit: true)).ToByteArray());
        Assert.IsTrue(digester.TryGetDigest(0, out _));

        digester.Start(keys);

        Assert.IsFalse(digester.TryGetDigest(0, out _));
        digester.Add(Response(Cell(row.Key, "f", "score", Timestamp, "x", valueSize: 2)).ToByteArray());
        Assert.ThrowsExactly<InvalidDataException>(digester.Complete);
    }

    [TestMethod]
    public void Add_KeysNotAscending_Throws()
    {
        ReadRowsDigester digester = Started("a", "b");
        digester.Add(Response(Cell(Key("b"), "f", "score", 1, "x", commit: true)).ToByteArray());

        InvalidDataException error = Assert.ThrowsExactly<InvalidDataException>(() => digester.Add(Response(Cell(Key("a"), "f", "score", 1, "x", commit: true)).ToByteArray()));

        StringAssert.Contains(error.Message, "not after the previous row");
    }

    [TestMethod]
    public void Add_CommitInsideSplitCell_Throws()
    {
        ReadRowsDigester digester = Started("a");
        Chunk chunk = Cell(Key("a"), "f", "score", 1, "x", valueSize: 5);
        chunk.CommitRow = true;

        Assert.ThrowsExactly<InvalidDataException>(() => digester.Add(Response(chunk).ToByteArray()));
    }

    [TestMethod]
    public void Add_ResetRowWithData_Throws()
    {
        ReadRowsDigester digester = Started("a");
        digester.Add(Response(Cell(Key("a"), "f", "score", 1, "x")).ToByteArray());

        Assert.ThrowsExactly<InvalidDataException>(() => digester.Add(Response(new Chunk { ResetRow = true, Value = ByteString.CopyFromUtf8("v") }).ToByteArray()));
    }

    [TestMethod]
    public void Add_NewRowWithoutFamily_Throws()
    {
        ReadRowsDigester digester = Started("a");

        Assert.ThrowsExactly<InvalidDataException>(() => digester.Add(Response(new Chunk { RowKey = Key("a"), Qualifier = ByteString.CopyFromUtf8("score"), CommitRow = true }).ToByteArray()));
    }

    [TestMethod]
    public void Add_KeyChangesWithoutCommit_Throws()
    {
        ReadRowsDigester digester = Started("a", "b");
        digester.Add(Response(Cell(Key("a"), "f", "score", 1, "x")).ToByteArray());

        Assert.ThrowsExactly<InvalidDataException>(() => digester.Add(Response(Cell(Key("b"), "f", "score", 1, "x", commit: true)).ToByteArray()));
    }

    [TestMethod]
    public void Complete_InsideARow_Throws()
    {
        ReadRowsDigester digester = Started("a");
        digester.Add(Response(Cell(Key("a"), "f", "score", 1, "x")).ToByteArray());

        Assert.ThrowsExactly<InvalidDataException>(digester.Complete);
    }

    [TestMethod]
    public void Add_UnknownFieldsAndLastScannedKey_Ignored()
    {
        RowMapper mapper = MapperTestData.Mapper();
        using MappedChunk chunk = MapperTestData.Map(mapper, MapperTestData.Users(1));
        Row row = MapperTestData.ToStoredRow(MapperTestData.Decode(chunk.Rows).Entries[0]);
        var digester = new ReadRowsDigester(new RowDigester(mapper));
        digester.Start([new PendingRow(row.Key, chunk.Rows[0].Digest, Timestamp, -1, chunk.Rows.Mutations(0).ToArray())]);
        ReadRowsResponse response = Chunked([row], new Random(1)).Aggregate(new ReadRowsResponse(), (all, part) => { all.Chunks.Add(part.Chunks); return all; });
        response.LastScannedRowKey = ByteString.CopyFromUtf8("zzz");
        response.RequestStats = new RequestStats { FullReadStatsView = new FullReadStatsView { ReadIterationStats = new ReadIterationStats { RowsSeenCount = 5 } } };

        digester.Add(response.ToByteArray());
        digester.Complete();

        Assert.IsTrue(digester.TryGetDigest(0, out ulong digest));
        Assert.AreEqual(chunk.Rows[0].Digest, digest);
    }

    /// <summary>Older and newer versions, a column and a family that are not features, labels; some rows lose a cell.</summary>
    private static void Disturb(Row row, int index, Random random)
    {
        if (index % 3 == 0)
        {
            MapperTestData.AddCell(row, "f", "score", new Cell { TimestampMicros = Timestamp + 60_000_000, Value = ByteString.CopyFromUtf8("newer") });
            MapperTestData.AddCell(row, "f", "country", new Cell { TimestampMicros = Timestamp - 2_000, Value = ByteString.CopyFromUtf8("older") });
        }

        if (index % 4 == 1)
        {
            MapperTestData.AddCell(row, "f", "not_a_feature", new Cell { TimestampMicros = Timestamp, Value = ByteString.CopyFromUtf8("x") });
            MapperTestData.AddCell(row, "zz", "score", new Cell { TimestampMicros = Timestamp, Value = ByteString.CopyFromUtf8("y"), Labels = { "label" } });
        }

        if (index % 5 == 2)
        {
            Family family = row.Families[random.Next(row.Families.Count)];
            family.Columns.RemoveAt(random.Next(family.Columns.Count));
        }

        if (index % 11 == 5)
        {
            row.Families.First(f => f.Columns.Count > 0).Columns[0].Cells[0].Value = ByteString.CopyFrom(new byte[300]);
        }
    }

    /// <summary>
    /// The rows as a server may send them: family and qualifier only when they change, values split at random over
    /// chunks and responses, now and then a row begun, reset and sent again, responses cut at random chunk boundaries.
    /// </summary>
    private static List<ReadRowsResponse> Chunked(List<Row> rows, Random random)
    {
        var chunks = new List<Chunk>();
        foreach (Row row in rows)
        {
            if (random.Next(6) == 0)
            {
                chunks.AddRange(RowChunks(row, random).Take(1).Select(c => { c.CommitRow = false; c.ValueSize = 0; return c; }));
                chunks.Add(new Chunk { ResetRow = true });
            }

            chunks.AddRange(RowChunks(row, random));
        }

        var responses = new List<ReadRowsResponse>();
        var current = new ReadRowsResponse();
        foreach (Chunk chunk in chunks)
        {
            current.Chunks.Add(chunk);
            if (random.Next(3) == 0)
            {
                responses.Add(current);
                current = new ReadRowsResponse();
            }
        }

        if (current.Chunks.Count > 0)
        {
            responses.Add(current);
        }

        return responses;
    }

    private static List<Chunk> RowChunks(Row row, Random random)
    {
        var chunks = new List<Chunk>();
        bool first = true;
        foreach (Family family in row.Families)
        {
            bool newFamily = true;
            foreach (Column column in family.Columns)
            {
                bool newColumn = true;
                foreach (Cell cell in column.Cells)
                {
                    byte[] value = cell.Value.ToByteArray();
                    int parts = value.Length > 1 && random.Next(3) == 0 ? random.Next(2, Math.Min(4, value.Length) + 1) : 1;
                    int at = 0;
                    for (int p = 0; p < parts; p++)
                    {
                        int length = p == parts - 1 ? value.Length - at : random.Next(1, value.Length - at - (parts - p - 1) + 1);
                        var chunk = new Chunk { Value = ByteString.CopyFrom(value, at, length) };
                        if (p == 0)
                        {
                            chunk.TimestampMicros = cell.TimestampMicros;
                            chunk.Labels.Add(cell.Labels);
                            if (first)
                            {
                                chunk.RowKey = row.Key;
                            }

                            if (newFamily)
                            {
                                chunk.FamilyName = family.Name;
                            }

                            if (newColumn)
                            {
                                chunk.Qualifier = column.Qualifier;
                            }
                        }

                        if (p < parts - 1)
                        {
                            chunk.ValueSize = value.Length;
                        }

                        at += length;
                        chunks.Add(chunk);
                        first = newFamily = newColumn = false;
                    }
                }
            }
        }

        chunks[^1].CommitRow = true;
        return chunks;
    }

    private static ReadRowsDigester Started(params string[] keys)
    {
        var digester = new ReadRowsDigester(new RowDigester(MapperTestData.Mapper()));
        digester.Start([.. keys.Select(k => new PendingRow(Key(k), 0, 1, -1, default))]);
        return digester;
    }

    private static ByteString Key(string key) => ByteString.CopyFromUtf8(key);

    private static Chunk Cell(ByteString key, string family, string qualifier, long timestamp, string value, bool commit = false, int valueSize = 0) => new()
    {
        RowKey = key,
        FamilyName = family,
        Qualifier = ByteString.CopyFromUtf8(qualifier),
        TimestampMicros = timestamp,
        Value = ByteString.CopyFromUtf8(value),
        ValueSize = valueSize,
        CommitRow = commit,
    };

    private static ReadRowsResponse Response(params Chunk[] chunks)
    {
        var response = new ReadRowsResponse();
        response.Chunks.Add(chunks);
        return response;
    }

    private sealed class ByteArrayOrder : IComparer<byte[]>
    {
        public static readonly ByteArrayOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
