using System.Globalization;
using System.Text;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Tests.Pipeline;

namespace StreamingFeatures.Tests.Keys;

/// <summary>Row keys <c>[bucket#]entity[#reversed-time]</c>: stable, spread, escaped, and the same on both sides.</summary>
[TestClass]
public sealed class RowKeyFormatTests
{
    private static readonly RowKeyOptions NoBuckets = new() { BucketPrefix = false };

    // Pinned from the implementation and cross-checked against an independent XXH64 (seed 0) of the escaped entity,
    // modulo the bucket count. If one of these changes, every key already written moves and point lookups miss: a
    // change of hash is a migration, not a refactor.
    [TestMethod]
    [DataRow("user-0000000000", 64, "2a#user-0000000000")]
    [DataRow("user-0000000001", 64, "10#user-0000000001")]
    [DataRow("user-0000999999", 64, "2b#user-0000999999")]
    [DataRow("alice", 64, "09#alice")]
    [DataRow("user-0000000001", 65_536, "9c90#user-0000000001")]
    [DataRow("alice", 65_536, "6049#alice")]
    public void ForEntity_KnownId_PinnedBytes(string entity, int buckets, string expected)
    {
        byte[] key = RowKeys.ForEntity(entity, new RowKeyOptions { Buckets = buckets });

        Assert.AreEqual(expected, RowKeyFormat.Display(key));
        CollectionAssert.AreEqual(Encoding.UTF8.GetBytes(expected), key);
    }

    [TestMethod]
    public void ForEntity_SameIdTwice_SameKeyFromIndependentFormats()
    {
        byte[] first = new RowKeyFormat(new RowKeyOptions()).ForEntity(["user-0000000042"]);
        byte[] second = new RowKeyFormat(new RowKeyOptions()).ForEntity(["user-0000000042"]);

        CollectionAssert.AreEqual(first, second);
    }

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(2, 1)]
    [DataRow(16, 1)]
    [DataRow(17, 2)]
    [DataRow(64, 2)]
    [DataRow(256, 2)]
    [DataRow(257, 3)]
    [DataRow(4_096, 3)]
    [DataRow(65_536, 4)]
    public void ForEntity_BucketCount_FixedWidthLowercaseHexPrefix(int buckets, int digits)
    {
        var format = new RowKeyFormat(new RowKeyOptions { Buckets = buckets });
        Assert.AreEqual(digits + 1, format.Overhead);

        for (int i = 0; i < 200; i++)
        {
            string key = RowKeyFormat.Display(format.ForEntity([SyntheticSource.EntityId(i)]));

            Assert.AreEqual(digits, key.IndexOf('#', StringComparison.Ordinal), key);
            string prefix = key[..digits];
            Assert.IsTrue(prefix.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')), key);
            int bucket = int.Parse(prefix, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            Assert.IsLessThan(buckets, bucket, key);
        }
    }

    [TestMethod]
    public void ForEntity_OneBucket_PrefixIsZero()
    {
        Assert.AreEqual("0#user-1", RowKeyFormat.Display(RowKeys.ForEntity("user-1", new RowKeyOptions { Buckets = 1 })));
    }

    [TestMethod]
    public void Write_MillionSequentialIds_SpreadEvenlyOver64Buckets()
    {
        const int Ids = 1_000_000;
        const int Buckets = 64;
        var format = new RowKeyFormat(new RowKeyOptions { Buckets = Buckets });
        int[] counts = new int[Buckets];
        byte[] entity = new byte[32];
        byte[] key = new byte[64];
        for (int i = 0; i < Ids; i++)
        {
            int length = Encoding.UTF8.GetBytes(SyntheticSource.EntityId(i), entity);
            format.Write(entity.AsSpan(0, length), 0, key, out int bucket);
            counts[bucket]++;
        }

        double mean = (double)Ids / Buckets;
        double ratio = counts.Max() / mean;
        Assert.IsLessThanOrEqualTo(1.1, ratio, string.Join(",", counts.Select(c => c.ToString(CultureInfo.InvariantCulture))));
        Assert.IsGreaterThanOrEqualTo(0.9, counts.Min() / mean);
    }

    [TestMethod]
    public void Write_BucketOut_MatchesHexPrefixAndBucketOf()
    {
        var format = new RowKeyFormat(new RowKeyOptions { Buckets = 1_000 });
        byte[] key = new byte[64];
        for (int i = 0; i < 500; i++)
        {
            byte[] entity = Encoding.UTF8.GetBytes(SyntheticSource.EntityId(i));
            int length = format.Write(entity, 0, key, out int bucket);

            Assert.AreEqual(format.BucketOf(entity), bucket);
            Assert.AreEqual(bucket, int.Parse(Encoding.ASCII.GetString(key, 0, 3), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
            Assert.AreEqual((byte)'#', key[3]);
            Assert.AreEqual(SyntheticSource.EntityId(i), Encoding.UTF8.GetString(key, 4, length - 4));
        }
    }

    [TestMethod]
    public void ForEntity_NoBucketPrefix_SequentialIdsMonotonicallyIncreasing()
    {
        byte[] previous = RowKeys.ForEntity(SyntheticSource.EntityId(0), NoBuckets);
        for (int i = 1; i < 10_000; i++)
        {
            byte[] key = RowKeys.ForEntity(SyntheticSource.EntityId(i), NoBuckets);

            // All of them land at the end of the key space: one tablet takes every write (the hotspot buckets avoid).
            Assert.IsGreaterThan(0, key.AsSpan().SequenceCompareTo(previous), RowKeyFormat.Display(key));
            previous = key;
        }

        Assert.AreEqual("user-0000009999", RowKeyFormat.Display(previous));
    }

    [TestMethod]
    public void ForEntity_BucketPrefix_SequentialIdsNotMonotonic()
    {
        int descents = 0;
        byte[] previous = RowKeys.ForEntity(SyntheticSource.EntityId(0), new RowKeyOptions());
        for (int i = 1; i < 1_000; i++)
        {
            byte[] key = RowKeys.ForEntity(SyntheticSource.EntityId(i), new RowKeyOptions());
            descents += key.AsSpan().SequenceCompareTo(previous) < 0 ? 1 : 0;
            previous = key;
        }

        Assert.IsGreaterThan(300, descents);
    }

    [TestMethod]
    public void ForEntity_CompositeKey_PartsJoinedByDelimiter()
    {
        Assert.AreEqual("acme#user-1#eu", RowKeyFormat.Display(RowKeys.ForEntity(["acme", "user-1", "eu"], NoBuckets)));
    }

    [TestMethod]
    public void ForEntity_DelimiterAndBackslashInPart_Escaped()
    {
        byte[] key = RowKeys.ForEntity(["a#b", @"c\d", "e"], NoBuckets);

        Assert.AreEqual(@"a\#b#c\\d#e", RowKeyFormat.Display(key));
    }

    [TestMethod]
    public void ForEntity_DelimiterMovedBetweenParts_DifferentKeys()
    {
        byte[] left = RowKeys.ForEntity(["a#b", "c"], NoBuckets);
        byte[] right = RowKeys.ForEntity(["a", "b#c"], NoBuckets);

        Assert.AreEqual(@"a\#b#c", RowKeyFormat.Display(left));
        Assert.AreEqual(@"a#b\#c", RowKeyFormat.Display(right));
    }

    [TestMethod]
    public void ForEntity_CustomDelimiter_UsedForBucketPartsAndEscaping()
    {
        byte[] key = RowKeys.ForEntity(["x|y", "z#"], new RowKeyOptions { Delimiter = "|", Buckets = 16 });
        string text = RowKeyFormat.Display(key);

        Assert.AreEqual('|', text[1]);
        Assert.AreEqual(@"x\|y|z#", text[2..]);
    }

    [TestMethod]
    public void WriteEscaped_DestinationTooSmall_ReturnsMinusOne()
    {
        var format = new RowKeyFormat(NoBuckets);
        byte[] destination = new byte[3];

        Assert.AreEqual(-1, format.WriteEscaped("a#b"u8, destination));
        Assert.AreEqual(3, format.WriteEscaped("abc"u8, destination));
    }

    [TestMethod]
    public void ForEntity_ReversedTimeSuffix_NewerEventSortsFirst()
    {
        var options = new RowKeyOptions { ReversedTimeSuffix = true };
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset[] times = [start, start.AddMilliseconds(1), start.AddSeconds(1), start.AddDays(1), start.AddYears(1)];

        byte[][] keys = [.. times.Select(t => RowKeys.ForEntity("user-1", options, t))];
        byte[][] sorted = [.. keys.OrderBy(k => k, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)))];

        CollectionAssert.AreEqual(Enumerable.Reverse(keys).ToArray(), sorted);
    }

    [TestMethod]
    public void ForEntity_ReversedTimeSuffix_NineteenDigitsOfMaxMinusMillis()
    {
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);
        long millis = time.ToUnixTimeMilliseconds();

        string key = RowKeyFormat.Display(RowKeys.ForEntity("user-1", new RowKeyOptions { BucketPrefix = false, ReversedTimeSuffix = true }, time));

        Assert.AreEqual("user-1#" + (long.MaxValue - millis).ToString("D19", CultureInfo.InvariantCulture), key);
    }

    [TestMethod]
    public void ForEntity_ReversedTimeWithinOneMillisecond_SameKey()
    {
        var options = new RowKeyOptions { ReversedTimeSuffix = true };
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        CollectionAssert.AreEqual(RowKeys.ForEntity("u", options, time), RowKeys.ForEntity("u", options, time.AddTicks(9_999)));
    }

    [TestMethod]
    public void ForEntity_ReversedTimeWithoutEventTime_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => RowKeys.ForEntity("u", new RowKeyOptions { ReversedTimeSuffix = true }));
    }

    [TestMethod]
    public void ForEntity_NoParts_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => RowKeys.ForEntity([], new RowKeyOptions()));
    }

    [TestMethod]
    public void ForEntity_SimpleKey_EqualsKeyRowMapperWrites()
    {
        RowMapper mapper = MapperTestData.Mapper();
        using MappedChunk chunk = MapperTestData.Map(mapper, MapperTestData.Users(50));

        Assert.AreEqual(50, chunk.Rows.RowCount);
        for (int i = 0; i < 50; i++)
        {
            byte[] expected = RowKeys.ForEntity(SyntheticSource.EntityId(i), MapperTestData.FeatureSet().RowKey);
            CollectionAssert.AreEqual(expected, chunk.Rows.Key(i).ToArray());
        }
    }

    [TestMethod]
    public void ForEntity_CompositeKeyWithReversedTime_EqualsKeyRowMapperWrites()
    {
        var rowKey = new RowKeyOptions { Buckets = 256, ReversedTimeSuffix = true };
        var featureSet = new FeatureSetOptions
        {
            Table = "t",
            EntityKey = ["tenant", "user"],
            EventTime = "ts",
            Families = { ["f"] = new ColumnFamilyOptions() },
            Features = [new FeatureOptions { Name = "clicks", Family = "f", Type = FeatureType.Int64 }],
            RowKey = rowKey,
        };
        var schema = new SourceSchema(
        [
            new SourceField("tenant", ColumnType.String),
            new SourceField("user", ColumnType.Int64),
            new SourceField("ts", ColumnType.Timestamp),
            new SourceField("clicks", ColumnType.Int64),
        ]);
        var time = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(4_567);
        long micros = CellEncoding.ToUnixMicros(time);
        var chunk = new SourceChunk(0, 0, 2,
        [
            BinaryColumn.FromStrings(["acme#eu", @"back\slash"]),
            new Int64Column([42, -7], 2),
            new Int64Column([micros, micros], 2, type: ColumnType.Timestamp),
            new Int64Column([1, 2], 2),
        ]);

        using MappedChunk mapped = RowMapper.Create(featureSet, schema, MapperTestData.MaxEntryBytes).Map(chunk);

        Assert.AreEqual(2, mapped.Rows.RowCount);
        CollectionAssert.AreEqual(RowKeys.ForEntity(["acme#eu", "42"], rowKey, time), mapped.Rows.Key(0).ToArray());
        CollectionAssert.AreEqual(RowKeys.ForEntity([@"back\slash", "-7"], rowKey, time), mapped.Rows.Key(1).ToArray());
        StringAssert.Contains(RowKeyFormat.Display(mapped.Rows.Key(0)), @"#acme\#eu#42#");
    }

    [TestMethod]
    public void ToString_Options_NamesBucketsDelimiterAndSuffix()
    {
        Assert.AreEqual("buckets=64 delimiter=# reversedTime=false", new RowKeyFormat(new RowKeyOptions()).ToString());
        Assert.AreEqual("buckets=0 delimiter=# reversedTime=true", new RowKeyFormat(new RowKeyOptions { BucketPrefix = false, ReversedTimeSuffix = true }).ToString());
    }
}
