using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Tests.BigQuery;

[TestClass]
public sealed class ShardRestrictionTests
{
    [TestMethod]
    public void For_OneKeyColumn_HashesItsTextModuloCount()
    {
        Assert.AreEqual(
            "ABS(MOD(COALESCE(FARM_FINGERPRINT(CAST(`user_id` AS STRING)), 0), 8)) = 3",
            ShardRestriction.For(["user_id"], 3, 8));
    }

    [TestMethod]
    public void For_CompositeKey_ConcatenatesWithSeparator()
    {
        Assert.AreEqual(
            "ABS(MOD(COALESCE(FARM_FINGERPRINT(CONCAT(CAST(`tenant` AS STRING), '#', CAST(`user id` AS STRING), '#', CAST(`day` AS STRING))), 0), 16)) = 0",
            ShardRestriction.For(["tenant", "user id", "day"], 0, 16));
    }

    [TestMethod]
    public void For_NameWithBacktickOrBackslash_Escaped()
    {
        Assert.AreEqual(
            @"ABS(MOD(COALESCE(FARM_FINGERPRINT(CAST(`we\`ird\\name` AS STRING)), 0), 2)) = 1",
            ShardRestriction.For([@"we`ird\name"], 1, 2));
    }

    [TestMethod]
    public void For_SingleShard_EveryRow()
    {
        Assert.AreEqual("ABS(MOD(COALESCE(FARM_FINGERPRINT(CAST(`k` AS STRING)), 0), 1)) = 0", ShardRestriction.For(["k"], 0, 1));
    }

    [TestMethod]
    [DataRow(-1, 4)]
    [DataRow(4, 4)]
    [DataRow(5, 4)]
    [DataRow(0, 0)]
    [DataRow(0, -2)]
    public void For_ShardOutOfRange_ArgumentExceptionNamingIndexAndCount(int index, int count)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => ShardRestriction.For(["k"], index, count));

        StringAssert.Contains(error.Message, $"Shard index {index} of {count}");
    }

    [TestMethod]
    public void For_NoKeyColumns_ArgumentException()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => ShardRestriction.For([], 0, 2));

        StringAssert.Contains(error.Message, "entity key column");
    }

    [TestMethod]
    [DataRow(null, null, null)]
    [DataRow("a = 1", null, "a = 1")]
    [DataRow("  ", "b = 2", "b = 2")]
    [DataRow(null, "b = 2", "b = 2")]
    [DataRow("a = 1", "", "a = 1")]
    [DataRow("a = 1 OR c", "b = 2", "(a = 1 OR c) AND (b = 2)")]
    public void Combine_EitherMayBeAbsent_BothMustHold(string? first, string? second, string? expected)
    {
        Assert.AreEqual(expected, ShardRestriction.Combine(first, second));
    }

    [TestMethod]
    public void Unsupported_KeyColumnsOtherThanInt64OrString_OnePerColumn()
    {
        var schema = new SourceSchema(
        [
            new SourceField("id", ColumnType.Int64),
            new SourceField("name", ColumnType.String),
            new SourceField("score", ColumnType.Float64),
            new SourceField("at", ColumnType.Timestamp),
            new SourceField("raw", ColumnType.Bytes),
            new SourceField("flag", ColumnType.Bool),
        ]);

        IReadOnlyList<string> problems = ShardRestriction.Unsupported(schema, ["id", "name", "score", "at", "raw"]);

        Assert.HasCount(3, problems);
        StringAssert.Contains(problems[0], "'score' is Float64");
        StringAssert.Contains(problems[1], "'at' is Timestamp");
        StringAssert.Contains(problems[2], "'raw' is Bytes");
        Assert.IsTrue(problems.All(p => p.Contains("INT64 and STRING", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Unsupported_Int64AndStringKeys_None()
    {
        var schema = new SourceSchema([new SourceField("id", ColumnType.Int64), new SourceField("name", ColumnType.String), new SourceField("flag", ColumnType.Bool)]);

        Assert.IsEmpty(ShardRestriction.Unsupported(schema, ["id", "name"]), "a non-key Bool column does not matter");
    }
}
