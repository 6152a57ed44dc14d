using System.Text;
using Google.Cloud.Bigtable.V2;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Tests.Pipeline.Stages;

/// <summary>Source chunks to encoded MutateRows entries, decoded through the generated message to check every field.</summary>
[TestClass]
public sealed class RowMapperTests
{
    [TestMethod]
    public void Map_FullRow_OneSetCellPerFeatureWithKeyFamilyQualifierAndValue()
    {
        RowMapper mapper = MapperTestData.Mapper();
        using MappedChunk chunk = MapperTestData.Map(mapper, new InputRow("user-1", Clicks: -3, Score: 1.5, Active: true, Country: "Sé"));

        MutateRowsRequest request = MapperTestData.Decode(chunk.Rows);

        Assert.AreEqual(MapperTestData.TableName, request.TableName);
        MutateRowsRequest.Types.Entry entry = request.Entries.Single();
        CollectionAssert.AreEqual(RowKeys.ForEntity("user-1", new RowKeyOptions()), entry.RowKey.ToByteArray());
        Assert.HasCount(4, entry.Mutations);
        AssertSetCell(entry.Mutations[0], "agg", "clicks_7d", CellEncoding.Int64(-3));
        AssertSetCell(entry.Mutations[1], "f", "score", CellEncoding.Float64(1.5));
        AssertSetCell(entry.Mutations[2], "f", "active", [1]);
        AssertSetCell(entry.Mutations[3], "f", "country", Encoding.UTF8.GetBytes("Sé"));
    }

    [TestMethod]
    public void Map_FullRow_MappedRowDescribesEntry()
    {
        RowMapper mapper = MapperTestData.Mapper();
        using MappedChunk chunk = mapper.Map(MapperTestData.Chunk(3, 1_000, MapperTestData.Users(2)));

        Assert.AreEqual(3, chunk.Partition);
        Assert.AreEqual(1_000, chunk.FirstOffset);
        Assert.AreEqual(2, chunk.SourceRows);
        Assert.IsEmpty(chunk.DeadLetters);
        Assert.AreEqual(8, chunk.Rows.MutationCount);
        for (int i = 0; i < 2; i++)
        {
            MappedRow row = chunk.Rows[i];
            Assert.AreEqual(4, row.Mutations);
            Assert.AreEqual(3, row.Partition);
            Assert.AreEqual(1_000 + i, row.SourceOffset);
            Assert.AreEqual(MapperTestData.CellTimestamp, row.TimestampMicros);
            Assert.AreEqual(mapper.Keys.BucketOf(Encoding.UTF8.GetBytes(SyntheticSource.EntityId(i))), row.Bucket);
            Assert.AreEqual(row.Length, chunk.Rows.Entry(i).Length);
        }

        Assert.AreEqual(chunk.Rows[0].Length + chunk.Rows[1].Length, chunk.Rows.ByteCount);
    }

    [TestMethod]
    [DataRow(1_700_000_000_123_456L, 1_700_000_000_123_000L)]
    [DataRow(1_700_000_000_123_000L, 1_700_000_000_123_000L)]
    [DataRow(1_999L, 1_000L)]
    [DataRow(0L, 0L)]
    public void Map_EventTime_EveryCellStampedWithEventTimeFlooredToMillisecond(long eventTime, long expected)
    {
        using MappedChunk chunk = MapperTestData.Map(MapperTestData.Mapper(), new InputRow("user-1", EventTime: eventTime));

        MutateRowsRequest.Types.Entry entry = MapperTestData.Decode(chunk.Rows).Entries.Single();

        Assert.IsTrue(entry.Mutations.All(m => m.SetCell.TimestampMicros == expected), entry.ToString());
        Assert.AreEqual(expected, chunk.Rows[0].TimestampMicros);
    }

    [TestMethod]
    public void Map_ManyRows_EntriesInSourceOrder()
    {
        using MappedChunk chunk = MapperTestData.Map(MapperTestData.Mapper(), MapperTestData.Users(100));

        MutateRowsRequest request = MapperTestData.Decode(chunk.Rows);

        Assert.HasCount(100, request.Entries);
        for (int i = 0; i < 100; i++)
        {
            CollectionAssert.AreEqual(chunk.Rows.Key(i).ToArray(), request.Entries[i].RowKey.ToByteArray());
            StringAssert.EndsWith(request.Entries[i].RowKey.ToStringUtf8(), "#" + SyntheticSource.EntityId(i));
        }
    }

    [TestMethod]
    public void Map_NullWithSkip_NoMutationForThatFeature()
    {
        using MappedChunk chunk = MapperTestData.Map(MapperTestData.Mapper(NullHandling.Skip), new InputRow("user-1", Country: null));

        MutateRowsRequest.Types.Entry entry = MapperTestData.Decode(chunk.Rows).Entries.Single();

        Assert.HasCount(3, entry.Mutations);
        Assert.AreEqual(3, chunk.Rows[0].Mutations);
        Assert.IsTrue(entry.Mutations.All(m => m.MutationCase == Mutation.MutationOneofCase.SetCell));
        Assert.IsFalse(entry.Mutations.Any(m => m.SetCell.ColumnQualifier.ToStringUtf8() == "country"));
    }

    [TestMethod]
    public void Map_NullWithDeleteColumn_DeleteFromColumnUpToEventMillisecond()
    {
        using MappedChunk chunk = MapperTestData.Map(MapperTestData.Mapper(NullHandling.DeleteColumn), new InputRow("user-1", Country: null));

        MutateRowsRequest.Types.Entry entry = MapperTestData.Decode(chunk.Rows).Entries.Single();

        Assert.HasCount(4, entry.Mutations);
        Assert.AreEqual(4, chunk.Rows[0].Mutations);
        Mutation delete = entry.Mutations[3];
        Assert.AreEqual(Mutation.MutationOneofCase.DeleteFromColumn, delete.MutationCase);
        Assert.AreEqual("f", delete.DeleteFromColumn.FamilyName);
        Assert.AreEqual("country", delete.DeleteFromColumn.ColumnQualifier.ToStringUtf8());
        Assert.AreEqual(MapperTestData.CellTimestamp + 1_000, delete.DeleteFromColumn.TimeRange.EndTimestampMicros);
        Assert.AreEqual(0, delete.DeleteFromColumn.TimeRange.StartTimestampMicros);

        // No start field on the wire at all: the range is exactly [unbounded, end). TimeRange (3) holds only end (2).
        byte[] range = [0x1A, 0, 0x10, .. Varint(MapperTestData.CellTimestamp + 1_000)];
        range[1] = (byte)(range.Length - 2);
        Assert.IsTrue(chunk.Rows.Entry(0).EndsWith(range), Convert.ToHexString(chunk.Rows.Entry(0)));
    }

    [TestMethod]
    public void Map_NullWithDeleteColumnInMiddle_OtherFeaturesStillSet()
    {
        using MappedChunk chunk = MapperTestData.Map(MapperTestData.Mapper(NullHandling.DeleteColumn), new InputRow("user-1", Country: null), new InputRow("user-2"));

        MutateRowsRequest request = MapperTestData.Decode(chunk.Rows);

        Assert.AreEqual(3, request.Entries[0].Mutations.Count(m => m.MutationCase == Mutation.MutationOneofCase.SetCell));
        Assert.IsTrue(request.Entries[1].Mutations.All(m => m.MutationCase == Mutation.MutationOneofCase.SetCell));
    }

    [TestMethod]
    public void Map_NullEntityKey_DeadLetterEmptyKey()
    {
        using MappedChunk chunk = MapperTestData.Map(MapperTestData.Mapper(), new InputRow(null));

        DeadLetter deadLetter = AssertOnlyDeadLetter(chunk, DeadLetterReason.EmptyKey);
        Assert.AreEqual("user_id", deadLetter.Field);
        StringAssert.Contains(deadLetter.Message, "user_id");
    }

    [TestMethod]
    public void Map_EmptyEntityKey_DeadLetterEmptyKey()
    {
        using MappedChunk chunk = MapperTestData.Map(MapperTestData.Mapper(), new InputRow(string.Empty));

        DeadLetter deadLetter = AssertOnlyDeadLetter(chunk, DeadLetterReason.EmptyKey);
        StringAssert.Contains(deadLetter.Message, "empty");
    }

    [TestMethod]
    public void Map_KeyJustOverLimit_DeadLetterKeyTooLongNamingLimit()
    {
        // 4,093 bytes of entity + "xx#" is 4,096: the longest key. One byte more is refused.
        using MappedChunk fits = MapperTestData.Map(MapperTestData.Mapper(), new InputRow(new string('k', 4_093)));
        using MappedChunk over = MapperTestData.Map(MapperTestData.Mapper(), new InputRow(new string('k', 4_094)));

        Assert.AreEqual(1, fits.Rows.RowCount);
        Assert.AreEqual(RowKeyFormat.MaxKeyBytes, fits.Rows[0].KeyLength);
        DeadLetter deadLetter = AssertOnlyDeadLetter(over, DeadLetterReason.KeyTooLong);
        StringAssert.Contains(deadLetter.Message, "4096");
        StringAssert.Contains(deadLetter.Message, "4097 bytes");
        StringAssert.Contains(deadLetter.Message, "'kkkk");
    }

    [TestMethod]
    public void Map_EscapingPushesKeyOverLimit_DeadLetterKeyTooLong()
    {
        // 2,100 delimiters escape to 4,200 bytes.
        using MappedChunk chunk = MapperTestData.Map(MapperTestData.Mapper(), new InputRow(new string('#', 2_100)));

        AssertOnlyDeadLetter(chunk, DeadLetterReason.KeyTooLong);
    }

    [TestMethod]
    public void Map_KeyFarOverLimit_DeadLetterShowsThisEntityAndSize()
    {
        using MappedChunk chunk = MapperTestData.Map(MapperTestData.Mapper(), new InputRow("user-1"), new InputRow(new string('z', 5_000)));

        DeadLetter deadLetter = chunk.DeadLetters.Single();
        Assert.AreEqual(DeadLetterReason.KeyTooLong, deadLetter.Reason);
        StringAssert.Contains(deadLetter.Message, "'zzzz");
        StringAssert.Contains(deadLetter.Message, "5003 bytes");
    }

    [TestMethod]
    [DataRow(-1L)]
    [DataRow(long.MinValue)]
    public void Map_NegativeEventTime_DeadLetterBadEventTime(long eventTime)
    {
        using MappedChunk chunk = MapperTestData.Map(MapperTestData.Mapper(), new InputRow("user-1", EventTime: eventTime));

        DeadLetter deadLetter = AssertOnlyDeadLetter(chunk, DeadLetterReason.BadEventTime);
        Assert.AreEqual("event_time", deadLetter.Field);
        StringAssert.Contains(deadLetter.Message, "event_time");
        StringAssert.Contains(deadLetter.Message, "1970-01-01");
    }

    [TestMethod]
    public void Map_NullEventTime_DeadLetterBadEventTime()
    {
        using MappedChunk chunk = MapperTestData.Map(MapperTestData.Mapper(), new InputRow("user-1", EventTime: null));

        DeadLetter deadLetter = AssertOnlyDeadLetter(chunk, DeadLetterReason.BadEventTime);
        Assert.AreEqual("event_time", deadLetter.Field);
        StringAssert.Contains(deadLetter.Message, "is null");
    }

    [TestMethod]
    public void Map_NullInNonNullableFeature_DeadLetterNullValueNamingFeature()
    {
        using MappedChunk chunk = MapperTestData.Map(MapperTestData.Mapper(NullHandling.DeleteColumn), new InputRow("user-1", Score: null));

        DeadLetter deadLetter = AssertOnlyDeadLetter(chunk, DeadLetterReason.NullValue);
        Assert.AreEqual("score", deadLetter.Field);
        StringAssert.Contains(deadLetter.Message, "'score'");
        Assert.AreEqual(RowKeyFormat.Display(RowKeys.ForEntity("user-1", new RowKeyOptions())), deadLetter.RowKey);
    }

    [TestMethod]
    public void Map_RowOverMaxEntryBytes_DeadLetterValueTooLarge()
    {
        RowMapper mapper = MapperTestData.Mapper(maxEntryBytes: 300);

        using MappedChunk chunk = MapperTestData.Map(mapper, new InputRow("user-1", Country: new string('c', 100)), new InputRow("user-2", Country: new string('c', 300)));

        Assert.AreEqual(1, chunk.Rows.RowCount);
        Assert.IsLessThanOrEqualTo(300, chunk.Rows[0].Length);
        DeadLetter deadLetter = chunk.DeadLetters.Single();
        Assert.AreEqual(DeadLetterReason.ValueTooLarge, deadLetter.Reason);
        Assert.AreEqual(1L, deadLetter.Offset);
        StringAssert.Contains(deadLetter.Message, "at most 300");
        StringAssert.EndsWith(deadLetter.RowKey, "#user-2");
    }

    [TestMethod]
    public void Map_EntryExactlyMaxEntryBytes_Written()
    {
        using MappedChunk probe = MapperTestData.Map(MapperTestData.Mapper(), new InputRow("user-1"));
        int length = probe.Rows[0].Length;

        using MappedChunk exact = MapperTestData.Map(MapperTestData.Mapper(maxEntryBytes: length), new InputRow("user-1"));
        using MappedChunk under = MapperTestData.Map(MapperTestData.Mapper(maxEntryBytes: length - 1), new InputRow("user-1"));

        Assert.AreEqual(1, exact.Rows.RowCount);
        AssertOnlyDeadLetter(under, DeadLetterReason.ValueTooLarge);
    }

    [TestMethod]
    public void Map_GoodRowsAroundBadOnes_GoodRowsWrittenWithTheirOffsets()
    {
        using MappedChunk chunk = MapperTestData.Mapper().Map(MapperTestData.Chunk(2, 500,
            new InputRow("bad-time", EventTime: null),
            new InputRow("user-1"),
            new InputRow(null),
            new InputRow("bad-null", Active: null),
            new InputRow("user-2")));

        Assert.AreEqual(5, chunk.SourceRows);
        Assert.AreEqual(2, chunk.Rows.RowCount);
        CollectionAssert.AreEqual(new long[] { 501, 504 }, chunk.Rows.Rows.ToArray().Select(r => r.SourceOffset).ToArray());
        CollectionAssert.AreEqual(new long[] { 500, 502, 503 }, chunk.DeadLetters.Select(d => d.Offset).ToArray());
        Assert.IsTrue(chunk.DeadLetters.All(d => d.Partition == 2));
        MutateRowsRequest request = MapperTestData.Decode(chunk.Rows);
        StringAssert.EndsWith(request.Entries[0].RowKey.ToStringUtf8(), "#user-1");
        StringAssert.EndsWith(request.Entries[1].RowKey.ToStringUtf8(), "#user-2");
    }

    [TestMethod]
    public void Map_IdenticalRows_EqualDigests()
    {
        using MappedChunk chunk = MapperTestData.Map(MapperTestData.Mapper(), new InputRow("user-1"), new InputRow("user-1"));
        using MappedChunk again = MapperTestData.Map(MapperTestData.Mapper(), new InputRow("user-1"));

        Assert.AreEqual(chunk.Rows[0].Digest, chunk.Rows[1].Digest);
        Assert.AreEqual(chunk.Rows[0].Digest, again.Rows[0].Digest);
    }

    [TestMethod]
    public void Map_OneValueDiffers_DigestsDiffer()
    {
        using MappedChunk chunk = MapperTestData.Map(
            MapperTestData.Mapper(),
            new InputRow("user-1"),
            new InputRow("user-1", Score: 0.2500001),
            new InputRow("user-1", Active: false),
            new InputRow("user-1", Country: "SF"),
            new InputRow("user-1", EventTime: MapperTestData.EventTime + 1_000),
            new InputRow("user-2"));

        ulong[] digests = [.. chunk.Rows.Rows.ToArray().Select(r => r.Digest)];

        Assert.HasCount(6, digests);
        Assert.HasCount(6, digests.Distinct());
    }

    [TestMethod]
    public void Map_SameMillisecondDifferentMicros_SameDigest()
    {
        using MappedChunk chunk = MapperTestData.Map(
            MapperTestData.Mapper(),
            new InputRow("user-1", EventTime: MapperTestData.CellTimestamp),
            new InputRow("user-1", EventTime: MapperTestData.CellTimestamp + 999));

        Assert.AreEqual(chunk.Rows[0].Digest, chunk.Rows[1].Digest);
    }

    [TestMethod]
    public void Map_Int64EntityKey_KeyIsDecimalText()
    {
        var featureSet = new FeatureSetOptions
        {
            Table = "t",
            EntityKey = ["id"],
            EventTime = "ts",
            Families = { ["f"] = new ColumnFamilyOptions() },
            Features = [new FeatureOptions { Name = "v", Family = "f", Type = FeatureType.Bool }],
            RowKey = new RowKeyOptions { BucketPrefix = false },
        };
        var schema = new SourceSchema([new SourceField("id", ColumnType.Int64), new SourceField("ts", ColumnType.Timestamp), new SourceField("v", ColumnType.Bool)]);
        var chunk = new SourceChunk(0, 0, 2, [new Int64Column([long.MinValue, 7], 2), new Int64Column([0, 0], 2, type: ColumnType.Timestamp), new BoolColumn([false, true], 2)]);

        using MappedChunk mapped = RowMapper.Create(featureSet, schema, MapperTestData.MaxEntryBytes).Map(chunk);

        Assert.AreEqual("-9223372036854775808", RowKeyFormat.Display(mapped.Rows.Key(0)));
        Assert.AreEqual("7", RowKeyFormat.Display(mapped.Rows.Key(1)));
        AssertSetCell(MapperTestData.Decode(mapped.Rows).Entries[0].Mutations.Single(), "f", "v", [0]);
    }

    [TestMethod]
    public void Map_BytesFeatureFromRenamedColumn_ValueBytesAsTheyAre()
    {
        var featureSet = new FeatureSetOptions
        {
            Table = "t",
            EntityKey = ["id"],
            EventTime = "ts",
            Families = { ["b"] = new ColumnFamilyOptions() },
            Features = [new FeatureOptions { Name = "embedding", Column = "raw", Family = "b", Qualifier = "e", Type = FeatureType.Bytes }],
        };
        var schema = new SourceSchema([new SourceField("id", ColumnType.String), new SourceField("ts", ColumnType.Timestamp), new SourceField("raw", ColumnType.Bytes)]);
        byte[] value = [0x00, 0xFF, 0x23, 0x5C];
        var chunk = new SourceChunk(0, 0, 1,
        [
            BinaryColumn.FromStrings(["id-1"]),
            new Int64Column([5_000], 1, type: ColumnType.Timestamp),
            new BinaryColumn(value, [0, 4], 1, type: ColumnType.Bytes),
        ]);

        using MappedChunk mapped = RowMapper.Create(featureSet, schema, MapperTestData.MaxEntryBytes).Map(chunk);

        Mutation mutation = MapperTestData.Decode(mapped.Rows).Entries.Single().Mutations.Single();
        AssertSetCell(mutation, "b", "e", value);
        Assert.AreEqual(5_000, mutation.SetCell.TimestampMicros);
    }

    [TestMethod]
    public void Create_SourceMissingColumnsAndWrongTypes_ListsEveryProblemAtOnce()
    {
        var schema = new SourceSchema(
        [
            new SourceField("event_time", ColumnType.Int64),
            new SourceField("clicks", ColumnType.String),
            new SourceField("score", ColumnType.Float64),
            new SourceField("active", ColumnType.Bool),
        ]);

        SchemaMismatchException error = Assert.ThrowsExactly<SchemaMismatchException>(() => RowMapper.Create(MapperTestData.FeatureSet(), schema, MapperTestData.MaxEntryBytes));

        Assert.HasCount(4, error.Errors, error.Message);
        Assert.IsTrue(error.Errors.Any(e => e.Contains("'user_id'", StringComparison.Ordinal) && e.Contains("not in the source", StringComparison.Ordinal)), error.Message);
        Assert.IsTrue(error.Errors.Any(e => e.Contains("'event_time'", StringComparison.Ordinal) && e.Contains("Int64", StringComparison.Ordinal) && e.Contains("Timestamp", StringComparison.Ordinal)), error.Message);
        Assert.IsTrue(error.Errors.Any(e => e.Contains("'clicks'", StringComparison.Ordinal) && e.Contains("String", StringComparison.Ordinal)), error.Message);
        Assert.IsTrue(error.Errors.Any(e => e.Contains("'country'", StringComparison.Ordinal) && e.Contains("not in the source", StringComparison.Ordinal)), error.Message);
        foreach (string problem in error.Errors)
        {
            StringAssert.Contains(error.Message, problem);
        }
    }

    [TestMethod]
    public void Create_MatchingSchema_PlansEveryFeatureInOrder()
    {
        RowMapper mapper = MapperTestData.Mapper();

        CollectionAssert.AreEqual(new[] { "clicks", "score", "active", "country" }, mapper.Features.Select(f => f.Name).ToArray());
        CollectionAssert.AreEqual(new[] { 2, 3, 4, 5 }, mapper.Features.Select(f => f.Ordinal).ToArray());
    }

    private static DeadLetter AssertOnlyDeadLetter(MappedChunk chunk, DeadLetterReason reason)
    {
        Assert.AreEqual(0, chunk.Rows.RowCount);
        Assert.AreEqual(0, chunk.Rows.ByteCount);
        Assert.AreEqual(1, chunk.SourceRows);
        DeadLetter deadLetter = chunk.DeadLetters.Single();
        Assert.AreEqual(reason, deadLetter.Reason, deadLetter.Message);
        Assert.AreEqual(0L, deadLetter.Offset);
        return deadLetter;
    }

    private static void AssertSetCell(Mutation mutation, string family, string qualifier, byte[] value)
    {
        Assert.AreEqual(Mutation.MutationOneofCase.SetCell, mutation.MutationCase);
        Assert.AreEqual(family, mutation.SetCell.FamilyName);
        Assert.AreEqual(qualifier, mutation.SetCell.ColumnQualifier.ToStringUtf8());
        CollectionAssert.AreEqual(value, mutation.SetCell.Value.ToByteArray());
    }

    private static byte[] Varint(long value)
    {
        var bytes = new List<byte>();
        ulong rest = (ulong)value;
        while (rest >= 0x80)
        {
            bytes.Add((byte)(rest | 0x80));
            rest >>= 7;
        }

        bytes.Add((byte)rest);
        return [.. bytes];
    }
}
