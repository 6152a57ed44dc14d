using Apache.Arrow;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Tests.BigQuery;

/// <summary>The row restriction subset of the BigQuery Storage emulator, evaluated on a small Arrow batch.</summary>
[TestClass]
public sealed class RowRestrictionParserTests
{
    private static readonly SourceSchema Schema = new(
    [
        new SourceField("id", ColumnType.Int64),
        new SourceField("score", ColumnType.Float64),
        new SourceField("name", ColumnType.String),
        new SourceField("at", ColumnType.Timestamp),
        new SourceField("flag", ColumnType.Bool),
    ]);

    // Rows: id -3..6, score id/2, name "n<id>", at id seconds after 2026-01-01, flag id even; row 9 has a null id.
    private static readonly RecordBatch Batch = BuildBatch();

    [TestMethod]
    [DataRow("id = 2", new long[] { 2 })]
    [DataRow("id != 2 AND id <> 3 AND id >= 0 AND id < 5", new long[] { 0, 1, 4 })]
    [DataRow("MOD(id, 3) = 0", new long[] { -3, 0, 3 })]
    [DataRow("MOD(id, 3) = -1", new long[] { -1 })]
    [DataRow("mod(`id`, 2) != 0 and ID > 0", new long[] { 1, 3, 5 })]
    [DataRow("score > 1.5", new long[] { 4, 5, 6 })]
    [DataRow("id <= 1.5 AND id > -1", new long[] { 0, 1 })]
    [DataRow("name = 'n2'", new long[] { 2 })]
    [DataRow("name >= \"n4\"", new long[] { 4, 5, 6 })]
    [DataRow("at >= TIMESTAMP '2026-01-01 00:00:04' AND at < TIMESTAMP(\"2026-01-01T00:00:06Z\")", new long[] { 4, 5 })]
    [DataRow("at = '2026-01-01 00:00:01 UTC'", new long[] { 1 })]
    [DataRow("flag = TRUE AND (id > 0)", new long[] { 2, 4 })]
    [DataRow("id >= -100", new long[] { -3, -2, -1, 0, 1, 2, 3, 4, 5 })]
    [DataRow("id IS NULL", new long[] { 6 })]
    [DataRow("`id` IS NOT NULL AND id > 4", new long[] { 5 })]
    [DataRow("ABS(id) = 1", new long[] { -1, 1 })]
    [DataRow("ABS(MOD(COALESCE(id, 0), 4)) = 2", new long[] { -2, 2 })]
    [DataRow("MOD(COALESCE(id, 7), 4) = 3", new long[] { 3, 6 })]
    public void Parse_SupportedRestriction_MatchesExactlyTheExpectedRows(string restriction, long[] ids)
    {
        RowFilter filter = RowRestrictionParser.Parse(restriction, Schema)!;

        var matched = Enumerable.Range(0, Batch.Length).Where(i => filter.Matches(Batch, i)).Select(i => (long)i - 3).ToArray();

        CollectionAssert.AreEqual(ids, matched, restriction);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    public void Parse_Empty_ReturnsNoFilter(string restriction) => Assert.IsNull(RowRestrictionParser.Parse(restriction, Schema));

    [TestMethod]
    [DataRow("id = 1 OR id = 2", "'OR'")]
    [DataRow("NOT id = 1", "'NOT'")]
    [DataRow("id IS TRUE", "'TRUE'")]
    [DataRow("id IN (1, 2)", "'IN'")]
    [DataRow("SIGN(id) = 1", "SIGN(...)")]
    [DataRow("id = id", "'id'")]
    [DataRow("id + 1 = 2", "'+'")]
    [DataRow("missing = 1", "Unrecognized name: missing")]
    [DataRow("name = 3", "STRING, INT64")]
    [DataRow("flag > TRUE", "BOOL, BOOL")]
    [DataRow("MOD(score, 2) = 1", "MOD")]
    [DataRow("MOD(id, 0) = 1", "Division by zero")]
    [DataRow("at = 'not a time'", "Invalid timestamp")]
    [DataRow("name = 'open", "Unclosed")]
    [DataRow("(id = 1", "end of restriction")]
    public void Parse_UnsupportedOrInvalid_ThrowsNamingTheProblem(string restriction, string named)
    {
        FormatException error = Assert.ThrowsExactly<FormatException>(() => RowRestrictionParser.Parse(restriction, Schema));

        StringAssert.Contains(error.Message, named);
    }

    private static RecordBatch BuildBatch()
    {
        const int Count = 10;
        long[] ids = [.. Enumerable.Range(-3, Count).Select(i => (long)i)];
        bool[] nulls = new bool[Count];
        nulls[9] = true;
        long start = (new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
        var chunk = new SourceChunk(0, 0, Count,
        [
            new Int64Column(ids, Count, nulls),
            new Float64Column([.. ids.Select(i => i / 2.0)], Count),
            BinaryColumn.FromStrings([.. ids.Select(i => "n" + i)]),
            new Int64Column([.. ids.Select(i => start + (i * 1_000_000))], Count, type: ColumnType.Timestamp),
            new BoolColumn([.. ids.Select(i => i % 2 == 0)], Count),
        ]);
        return ArrowColumns.ToRecordBatch(ArrowColumns.SchemaOf(Schema), chunk);
    }
}
