using System.Globalization;
using System.Text;
using Apache.Arrow;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Keys;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Tests.BigQuery;

/// <summary>The hash shard row restrictions the migration sends, evaluated by the emulator against FarmFingerprint.</summary>
[TestClass]
public sealed class RowRestrictionShardTests
{
    private const int Count = 200;
    private const int Shards = 8;

    private static readonly SourceSchema Schema = new(
    [
        new SourceField("user_id", ColumnType.Int64),
        new SourceField("name", ColumnType.String),
        new SourceField("blob", ColumnType.Bytes),
        new SourceField("flag", ColumnType.Bool),
        new SourceField("score", ColumnType.Float64),
    ]);

    // Rows: user_id = i * 7919 - 500000 (every 10th null, so negative, positive and null keys), name "u<i>" (every
    // 13th null), blob the UTF-8 of "b<i>", flag i odd, score i.
    private static readonly RecordBatch Batch = BuildBatch();

    [TestMethod]
    public void Parse_SingleKeyShard_MatchesRowsWhoseFingerprintOfTheDecimalTextFallsInTheShard()
    {
        for (int shard = 0; shard < Shards; shard++)
        {
            RowFilter filter = RowRestrictionParser.Parse($"ABS(MOD(COALESCE(FARM_FINGERPRINT(CAST(`user_id` AS STRING)), 0), {Shards})) = {shard}", Schema)!;

            CollectionAssert.AreEqual(Expected(shard, i => UserId(i)?.ToString(CultureInfo.InvariantCulture)), Matched(filter), $"shard {shard}");
        }
    }

    [TestMethod]
    public void Parse_CompositeKeyShard_MatchesRowsWhoseFingerprintOfTheJoinedTextFallsInTheShard()
    {
        for (int shard = 0; shard < Shards; shard++)
        {
            string restriction = $"(user_id != 3) AND (ABS(MOD(COALESCE(FARM_FINGERPRINT(CONCAT(CAST(`user_id` AS STRING), '#', CAST(`name` AS STRING))), 0), {Shards})) = {shard})";
            RowFilter filter = RowRestrictionParser.Parse(restriction, Schema)!;

            // CONCAT with a NULL part is NULL, which COALESCE sends to shard 0; user_id != 3 drops null ids (NULL compares false).
            int[] expected = [.. Expected(shard, i => UserId(i) is { } id && Name(i) is { } name ? $"{id.ToString(CultureInfo.InvariantCulture)}#{name}" : null).Where(i => UserId(i) is not null)];
            CollectionAssert.AreEqual(expected, Matched(filter), $"shard {shard}");
        }
    }

    [TestMethod]
    public void Parse_FingerprintOfBytesColumnAndBoolText_HashesTheRawBytesAndTrueFalse()
    {
        RowFilter bytes = RowRestrictionParser.Parse("ABS(MOD(FARM_FINGERPRINT(blob), 2)) = 1", Schema)!;
        RowFilter text = RowRestrictionParser.Parse("MOD(FARM_FINGERPRINT(CONCAT(CAST(flag AS STRING), 'x')), 3) = 0", Schema)!;

        CollectionAssert.AreEqual(Enumerable.Range(0, Count).Where(i => Math.Abs(Fingerprint("b" + i) % 2) == 1).ToArray(), Matched(bytes));
        CollectionAssert.AreEqual(Enumerable.Range(0, Count).Where(i => Fingerprint((i % 2 == 1 ? "true" : "false") + "x") % 3 == 0).ToArray(), Matched(text));
    }

    [TestMethod]
    public void Parse_FingerprintOfNull_IsNullAndMatchesNoComparison()
    {
        RowFilter isNull = RowRestrictionParser.Parse("FARM_FINGERPRINT(CAST(user_id AS STRING)) IS NULL", Schema)!;
        RowFilter compared = RowRestrictionParser.Parse("FARM_FINGERPRINT(name) != 0 AND FARM_FINGERPRINT(name) IS NOT NULL", Schema)!;

        CollectionAssert.AreEqual(Enumerable.Range(0, Count).Where(i => UserId(i) is null).ToArray(), Matched(isNull));
        CollectionAssert.AreEqual(Enumerable.Range(0, Count).Where(i => Name(i) is not null).ToArray(), Matched(compared));
    }

    [TestMethod]
    [DataRow("MOD(-7, 3) = -1")]
    [DataRow("MOD(7, -3) = 1")]
    [DataRow("ABS(MOD(-9223372036854775808, -1)) = 0")]
    [DataRow("COALESCE(FARM_FINGERPRINT(CAST(user_id AS STRING)), FARM_FINGERPRINT(CAST(0 AS STRING))) IS NOT NULL")]
    public void Parse_ConstantExpression_EvaluatesAsBigQuery(string restriction)
    {
        RowFilter filter = RowRestrictionParser.Parse(restriction, Schema)!;

        Assert.HasCount(Count, Matched(filter));
    }

    [TestMethod]
    [DataRow("SHA256(name) = 1", "SHA256(...)")]
    [DataRow("FARM_FINGERPRINT(user_id) = 1", "FARM_FINGERPRINT for argument type INT64")]
    [DataRow("ABS(name) = 1", "ABS for argument type STRING")]
    [DataRow("FARM_FINGERPRINT(CAST(score AS STRING)) = 1", "CAST(FLOAT64 AS STRING)")]
    [DataRow("FARM_FINGERPRINT(CONCAT(name, CAST(name AS BYTES))) = 1", "mix STRING and BYTES")]
    [DataRow("CAST(user_id AS STRING) = 1", "STRING")]
    [DataRow("ABS(MOD(user_id, 0)) = 1", "Division by zero")]
    [DataRow("FARM_FINGERPRINT(name) IS MISSING", "'MISSING'")]
    [DataRow("ABS(user_id) = 'x'", "INT64 literal")]
    [DataRow("FARM_FINGERPRINT(name OR name) = 1", "'OR'")]
    public void Parse_UnsupportedShardForm_ThrowsNamingTheProblem(string restriction, string named)
    {
        FormatException error = Assert.ThrowsExactly<FormatException>(() => RowRestrictionParser.Parse(restriction, Schema));

        StringAssert.Contains(error.Message, named);
    }

    private static long? UserId(int i) => i % 10 == 0 ? null : (i * 7919L) - 500_000;

    private static string? Name(int i) => i % 13 == 0 ? null : "u" + i.ToString(CultureInfo.InvariantCulture);

    private static long Fingerprint(string text) => FarmFingerprint.Fingerprint64(Encoding.UTF8.GetBytes(text));

    /// <summary>Rows whose key text hashes to <paramref name="shard"/>; a null key goes to shard 0.</summary>
    private static int[] Expected(int shard, Func<int, string?> key) =>
        [.. Enumerable.Range(0, Count).Where(i => (key(i) is { } text ? Math.Abs(Fingerprint(text) % Shards) : 0) == shard)];

    private static int[] Matched(RowFilter filter) => [.. Enumerable.Range(0, Count).Where(i => filter.Matches(Batch, i))];

    private static RecordBatch BuildBatch()
    {
        long[] ids = [.. Enumerable.Range(0, Count).Select(i => UserId(i) ?? 0)];
        bool[] idNulls = [.. Enumerable.Range(0, Count).Select(i => UserId(i) is null)];
        var blobs = BinaryColumn.FromStrings([.. Enumerable.Range(0, Count).Select(i => "b" + i.ToString(CultureInfo.InvariantCulture))]);
        var chunk = new SourceChunk(0, 0, Count,
        [
            new Int64Column(ids, Count, idNulls),
            BinaryColumn.FromStrings([.. Enumerable.Range(0, Count).Select(Name)]),
            new BinaryColumn(blobs.Data, blobs.Offsets, Count, type: ColumnType.Bytes),
            new BoolColumn([.. Enumerable.Range(0, Count).Select(i => i % 2 == 1)], Count),
            new Float64Column([.. Enumerable.Range(0, Count).Select(i => (double)i)], Count),
        ]);
        return ArrowColumns.ToRecordBatch(ArrowColumns.SchemaOf(Schema), chunk);
    }
}
