using Apache.Arrow;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Tests.BigQuery;

/// <summary>
/// The row restriction subset of the BigQuery Storage emulator, evaluated on a small Arrow batch: comparisons, IN,
/// BETWEEN, LIKE, NOT, AND, OR with GoogleSQL's precedence, and NULL never matching a comparison (nor its NOT).
/// </summary>
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
    [DataRow("id = 1 OR id = 2", new long[] { 1, 2 })]
    [DataRow("id = 1 OR id = 3 AND flag", new long[] { 1 })]
    [DataRow("(id = 1 OR id = 2) AND flag", new long[] { 2 })]
    [DataRow("id > 4 or id < -2", new long[] { -3, 5 })]
    [DataRow("id > 0 OR id IS NULL", new long[] { 1, 2, 3, 4, 5, 6 })]
    [DataRow("NOT id > 0", new long[] { -3, -2, -1, 0 })]
    [DataRow("NOT id = 1 AND id > 3", new long[] { 4, 5 })]
    [DataRow("NOT (id < 4 OR flag)", new long[] { 5 })]
    [DataRow("NOT NOT id = 2", new long[] { 2 })]
    [DataRow("NOT flag AND id >= 0", new long[] { 1, 3, 5 })]
    [DataRow("id IN (1, 3, 5)", new long[] { 1, 3, 5 })]
    [DataRow("id NOT IN (1, 3, 5) AND id > 0", new long[] { 2, 4 })]
    [DataRow("id IN (1, NULL)", new long[] { 1 })]
    [DataRow("id NOT IN (1, NULL)", new long[] { })]
    [DataRow("id = NULL OR id != NULL", new long[] { })]
    [DataRow("name IN ('n1', \"n-1\")", new long[] { -1, 1 })]
    [DataRow("score IN (0.5, 1)", new long[] { 1, 2 })]
    [DataRow("MOD(id, 2) IN (1, -1) AND id BETWEEN 0 AND 4", new long[] { 1, 3 })]
    [DataRow("id BETWEEN -1 AND 1", new long[] { -1, 0, 1 })]
    [DataRow("id NOT BETWEEN -1 AND 4", new long[] { -3, -2, 5 })]
    [DataRow("id BETWEEN 1 AND 2 AND flag OR id = 5", new long[] { 2, 5 })]
    [DataRow("id BETWEEN 3 AND 1", new long[] { })]
    [DataRow("at BETWEEN '2026-01-01 00:00:01' AND TIMESTAMP '2026-01-01 00:00:02'", new long[] { 1, 2 })]
    [DataRow("name LIKE 'n-_'", new long[] { -3, -2, -1 })]
    [DataRow("name LIKE '%1'", new long[] { -1, 1 })]
    [DataRow("name NOT LIKE 'n_' AND id < 0", new long[] { -3, -2, -1 })]
    [DataRow("name LIKE NULL", new long[] { })]
    [DataRow("flag AND NOT id IN (0, 2)", new long[] { -2, 4 })]
    [DataRow("flag AND id IS NULL", new long[] { 6 })]
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
    [DataRow("id = 1 XOR id = 2", "'XOR'")]
    [DataRow("id NOT = 1", "'NOT ='")]
    [DataRow("id IS TRUE", "'TRUE'")]
    [DataRow("id IN ()", "')'")]
    [DataRow("id IN (1, name)", "'name'")]
    [DataRow("id BETWEEN 1 OR 2", "Expected AND after BETWEEN")]
    [DataRow("id LIKE '1%'", "LIKE applies to STRING and BYTES")]
    [DataRow("name LIKE 3", "STRING, INT64")]
    [DataRow("name LIKE 'ab\\\\'", "ends with a backslash")]
    [DataRow("name IN ('a', 2)", "STRING, INT64")]
    [DataRow("id = 1 OR", "end of restriction")]
    [DataRow("REGEXP_CONTAINS(name, 'n')", "REGEXP_CONTAINS(...)")]
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
