using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.Bigtable;
using Chunk = Google.Cloud.Bigtable.V2.ReadRowsResponse.Types.CellChunk;

namespace StreamingFeatures.Tests.Bigtable;

/// <summary>Cases modelled on Google's ReadRows acceptance tests (googleapis/cloud-bigtable-clients-test, readrows.json).</summary>
[TestClass]
public sealed class ReadRowsMergerTests
{
    [TestMethod]
    public void Add_SingleCommittedCell_ReturnsRow()
    {
        var merger = new ReadRowsMerger();

        IReadOnlyList<Row> rows = merger.Add(Response(Cell("RK", "A", "C", 100, "value-VAL", commit: true)));

        Assert.HasCount(1, rows);
        AssertCell(rows[0], "RK", "A", "C", 100, "value-VAL");
        Assert.AreEqual("RK", merger.LastCommittedKey!.ToStringUtf8());
    }

    [TestMethod]
    public void Add_CellSplitOverThreeResponses_JoinsValue()
    {
        var merger = new ReadRowsMerger();

        Assert.IsEmpty(merger.Add(Response(Cell("RK", "A", "C", 100, "v1-", valueSize: 9))));
        Assert.IsEmpty(merger.Add(Response(new Chunk { Value = ByteString.CopyFromUtf8("v2-"), ValueSize = 9 })));
        IReadOnlyList<Row> rows = merger.Add(Response(new Chunk { Value = ByteString.CopyFromUtf8("v3-"), CommitRow = true }));

        AssertCell(rows.Single(), "RK", "A", "C", 100, "v1-v2-v3-");
    }

    [TestMethod]
    public void Add_CellsInheritFamilyAndQualifier_GroupsThem()
    {
        var merger = new ReadRowsMerger();

        IReadOnlyList<Row> rows = merger.Add(Response(
            Cell("RK", "A", "C", 100, "v1"),
            new Chunk { TimestampMicros = 99, Value = ByteString.CopyFromUtf8("v2") },
            new Chunk { Qualifier = ByteString.CopyFromUtf8("D"), TimestampMicros = 98, Value = ByteString.CopyFromUtf8("v3") },
            new Chunk { FamilyName = "B", Qualifier = ByteString.CopyFromUtf8("E"), TimestampMicros = 97, Value = ByteString.CopyFromUtf8("v4"), CommitRow = true }));

        Row row = rows.Single();
        Assert.HasCount(2, row.Families);
        Assert.HasCount(2, row.Families[0].Columns[0].Cells);
        Assert.AreEqual("v2", row.Families[0].Columns[0].Cells[1].Value.ToStringUtf8());
        Assert.AreEqual("D", row.Families[0].Columns[1].Qualifier.ToStringUtf8());
        Assert.AreEqual("v4", row.Families[1].Columns[0].Cells[0].Value.ToStringUtf8());
    }

    [TestMethod]
    public void Add_ResetRow_DiscardsUncommittedCells()
    {
        var merger = new ReadRowsMerger();

        IReadOnlyList<Row> rows = merger.Add(Response(
            Cell("RK", "A", "C", 100, "stale"),
            new Chunk { ResetRow = true },
            Cell("RK", "A", "D", 101, "fresh", commit: true)));

        Row row = rows.Single();
        Assert.HasCount(1, row.Families[0].Columns);
        AssertCell(row, "RK", "A", "D", 101, "fresh");
    }

    [TestMethod]
    public void Add_TwoRowsInOneResponse_ReturnsBothInOrder()
    {
        var merger = new ReadRowsMerger();

        IReadOnlyList<Row> rows = merger.Add(Response(Cell("RK1", "A", "C", 1, "a", commit: true), Cell("RK2", "A", "C", 2, "b", commit: true)));

        CollectionAssert.AreEqual(new[] { "RK1", "RK2" }, rows.Select(r => r.Key.ToStringUtf8()).ToArray());
    }

    [TestMethod]
    public void Add_RowKeyNotIncreasing_Throws()
    {
        var merger = new ReadRowsMerger();
        merger.Add(Response(Cell("RK2", "A", "C", 1, "a", commit: true)));

        var error = Assert.ThrowsExactly<InvalidDataException>(() => merger.Add(Response(Cell("RK1", "A", "C", 1, "b", commit: true))));
        StringAssert.Contains(error.Message, "'RK1' is not after the previous row 'RK2'");
    }

    [TestMethod]
    public void Add_CommitInsideSplitCell_Throws()
    {
        var merger = new ReadRowsMerger();

        Assert.ThrowsExactly<InvalidDataException>(() => merger.Add(Response(Cell("RK", "A", "C", 1, "v", valueSize: 10, commit: true))));
    }

    [TestMethod]
    public void Add_FamilyWithoutQualifier_Throws()
    {
        var merger = new ReadRowsMerger();
        merger.Add(Response(Cell("RK", "A", "C", 1, "v")));

        Assert.ThrowsExactly<InvalidDataException>(() => merger.Add(Response(new Chunk { FamilyName = "B", Value = ByteString.CopyFromUtf8("x") })));
    }

    [TestMethod]
    public void Add_ResetWithData_Throws()
    {
        var merger = new ReadRowsMerger();
        merger.Add(Response(Cell("RK", "A", "C", 1, "v")));

        Assert.ThrowsExactly<InvalidDataException>(() => merger.Add(Response(new Chunk { ResetRow = true, Value = ByteString.CopyFromUtf8("x") })));
    }

    [TestMethod]
    public void Complete_StreamEndsInsideRow_Throws()
    {
        var merger = new ReadRowsMerger();
        merger.Add(Response(Cell("RK", "A", "C", 1, "v")));

        var error = Assert.ThrowsExactly<InvalidDataException>(merger.Complete);
        StringAssert.Contains(error.Message, "'RK'");
    }

    [TestMethod]
    public void Complete_AfterCommittedRows_Passes()
    {
        var merger = new ReadRowsMerger();
        merger.Add(Response(Cell("RK", "A", "C", 1, "v", commit: true)));

        merger.Complete();
    }

    private static ReadRowsResponse Response(params Chunk[] chunks) => new() { Chunks = { chunks } };

    private static Chunk Cell(string key, string family, string qualifier, long timestamp, string value, int valueSize = 0, bool commit = false) => new()
    {
        RowKey = ByteString.CopyFromUtf8(key),
        FamilyName = family,
        Qualifier = ByteString.CopyFromUtf8(qualifier),
        TimestampMicros = timestamp,
        Value = ByteString.CopyFromUtf8(value),
        ValueSize = valueSize,
        CommitRow = commit,
    };

    private static void AssertCell(Row row, string key, string family, string qualifier, long timestamp, string value)
    {
        Assert.AreEqual(key, row.Key.ToStringUtf8());
        Family f = row.Families.Single(x => x.Name == family);
        Column c = f.Columns.Single(x => x.Qualifier.ToStringUtf8() == qualifier);
        Assert.AreEqual(timestamp, c.Cells[0].TimestampMicros);
        Assert.AreEqual(value, c.Cells[0].Value.ToStringUtf8());
    }
}
