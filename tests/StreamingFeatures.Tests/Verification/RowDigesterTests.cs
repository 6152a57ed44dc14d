using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Tests.Pipeline;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Tests.Verification;

/// <summary>
/// The read-side digest of the row Bigtable returns equals the write-side digest exactly when every cell landed
/// intact; and the checksums that sum digests do not care about order or split.
/// </summary>
[TestClass]
public sealed class RowDigesterTests
{
    private const long Timestamp = MapperTestData.CellTimestamp;

    [TestMethod]
    public void Digest_RowAsWritten_EqualsMappedDigest()
    {
        RowMapper mapper = MapperTestData.Mapper();
        using MappedChunk chunk = MapperTestData.Map(mapper, [new InputRow("user-1", Clicks: -5, Score: 3.75, Active: false, Country: "Sé"), .. MapperTestData.Users(20)]);
        MutateRowsRequest request = MapperTestData.Decode(chunk.Rows);
        var digester = new RowDigester(mapper);

        for (int i = 0; i < chunk.Rows.RowCount; i++)
        {
            Row row = MapperTestData.ToStoredRow(request.Entries[i]);

            Assert.AreEqual(chunk.Rows[i].Digest, digester.Digest(row, chunk.Rows[i].TimestampMicros), row.Key.ToStringUtf8());
        }
    }

    [TestMethod]
    public void Digest_FamiliesAndCellsInAnotherOrder_StillEqual()
    {
        (RowMapper mapper, MappedRow written, Row row) = Written(NullHandling.Skip, new InputRow("user-1"));
        var reordered = new Row { Key = row.Key };
        foreach (Family family in row.Families.Reverse())
        {
            var copy = new Family { Name = family.Name };
            copy.Columns.AddRange(family.Columns.Reverse());
            reordered.Families.Add(copy);
        }

        Assert.AreEqual(written.Digest, new RowDigester(mapper).Digest(reordered, Timestamp));
    }

    [TestMethod]
    public void Digest_ChangedValue_Differs()
    {
        (RowMapper mapper, MappedRow written, Row row) = Written(NullHandling.Skip, new InputRow("user-1", Score: 0.25));
        OnlyCell(row, "f", "score").Value = ByteString.CopyFrom(CellEncoding.Float64(0.5));

        Assert.AreNotEqual(written.Digest, new RowDigester(mapper).Digest(row, Timestamp));
    }

    [TestMethod]
    public void Digest_ChangedBoolByte_Differs()
    {
        (RowMapper mapper, MappedRow written, Row row) = Written(NullHandling.Skip, new InputRow("user-1", Active: true));
        OnlyCell(row, "f", "active").Value = ByteString.CopyFrom([2]);

        Assert.AreNotEqual(written.Digest, new RowDigester(mapper).Digest(row, Timestamp));
    }

    [TestMethod]
    public void Digest_MissingCell_Differs()
    {
        (RowMapper mapper, MappedRow written, Row row) = Written(NullHandling.Skip, new InputRow("user-1"));
        row.Families.Single(f => f.Name == "agg").Columns.Clear();

        Assert.AreNotEqual(written.Digest, new RowDigester(mapper).Digest(row, Timestamp));
    }

    [TestMethod]
    public void Digest_MissingFamily_Differs()
    {
        (RowMapper mapper, MappedRow written, Row row) = Written(NullHandling.Skip, new InputRow("user-1"));
        row.Families.Remove(row.Families.Single(f => f.Name == "f"));

        Assert.AreNotEqual(written.Digest, new RowDigester(mapper).Digest(row, Timestamp));
    }

    [TestMethod]
    public void Digest_CellAtAnotherTimestampOnly_Differs()
    {
        (RowMapper mapper, MappedRow written, Row row) = Written(NullHandling.Skip, new InputRow("user-1"));
        OnlyCell(row, "f", "country").TimestampMicros = Timestamp - 1_000;

        Assert.AreNotEqual(written.Digest, new RowDigester(mapper).Digest(row, Timestamp));
    }

    [TestMethod]
    public void Digest_DifferentKey_Differs()
    {
        (RowMapper mapper, MappedRow written, Row row) = Written(NullHandling.Skip, new InputRow("user-1"));
        row.Key = ByteString.CopyFrom(RowKeys.ForEntity("user-2", new RowKeyOptions()));

        Assert.AreNotEqual(written.Digest, new RowDigester(mapper).Digest(row, Timestamp));
    }

    [TestMethod]
    public void Digest_ExtraNewerAndOlderCellsAtOtherTimestamps_StillEqual()
    {
        (RowMapper mapper, MappedRow written, Row row) = Written(NullHandling.Skip, new InputRow("user-1"));
        foreach ((string family, string qualifier) in new[] { ("agg", "clicks_7d"), ("f", "score"), ("f", "active"), ("f", "country") })
        {
            MapperTestData.AddCell(row, family, qualifier, new Cell { TimestampMicros = Timestamp + 60_000_000, Value = ByteString.CopyFromUtf8("newer") });
            MapperTestData.AddCell(row, family, qualifier, new Cell { TimestampMicros = Timestamp - 1_000, Value = ByteString.CopyFromUtf8("older") });
        }

        Assert.HasCount(3, FindColumn(row, "f", "score")!.Cells);
        Assert.AreEqual(written.Digest, new RowDigester(mapper).Digest(row, Timestamp));
    }

    [TestMethod]
    public void Digest_UnrelatedColumnAndFamily_StillEqual()
    {
        (RowMapper mapper, MappedRow written, Row row) = Written(NullHandling.Skip, new InputRow("user-1"));
        MapperTestData.AddCell(row, "f", "written_by_someone_else", new Cell { TimestampMicros = Timestamp, Value = ByteString.CopyFromUtf8("x") });
        MapperTestData.AddCell(row, "other", "score", new Cell { TimestampMicros = Timestamp, Value = ByteString.CopyFromUtf8("x") });

        Assert.AreEqual(written.Digest, new RowDigester(mapper).Digest(row, Timestamp));
    }

    [TestMethod]
    public void Digest_SkippedNullWithOlderCellLeft_StillEqual()
    {
        (RowMapper mapper, MappedRow written, Row row) = Written(NullHandling.Skip, new InputRow("user-1", Country: null));
        Assert.IsNull(FindColumn(row, "f", "country"));

        // Skip writes nothing, so whatever an earlier event left in the column is not this row's business.
        MapperTestData.AddCell(row, "f", "country", new Cell { TimestampMicros = Timestamp - 5_000, Value = ByteString.CopyFromUtf8("NO") });

        Assert.AreEqual(written.Digest, new RowDigester(mapper).Digest(row, Timestamp));
    }

    [TestMethod]
    public void Digest_DeletedNullColumnEmpty_EqualsMappedDigest()
    {
        (RowMapper mapper, MappedRow written, Row row) = Written(NullHandling.DeleteColumn, new InputRow("user-1", Country: null));
        Assert.IsNull(FindColumn(row, "f", "country"));

        Assert.AreEqual(written.Digest, new RowDigester(mapper).Digest(row, Timestamp));
    }

    [TestMethod]
    public void Digest_DeletedNullWithNewerCellFromLaterEvent_StillEqual()
    {
        (RowMapper mapper, MappedRow written, Row row) = Written(NullHandling.DeleteColumn, new InputRow("user-1", Country: null));
        MapperTestData.AddCell(row, "f", "country", new Cell { TimestampMicros = Timestamp + 1_000, Value = ByteString.CopyFromUtf8("DK") });

        Assert.AreEqual(written.Digest, new RowDigester(mapper).Digest(row, Timestamp));
    }

    [TestMethod]
    [DataRow(0L)]
    [DataRow(-1_000L)]
    [DataRow(-5_000_000L)]
    public void Digest_DeletedNullButCellSurvivesAtOrBeforeEvent_Differs(long age)
    {
        (RowMapper mapper, MappedRow written, Row row) = Written(NullHandling.DeleteColumn, new InputRow("user-1", Country: null));
        MapperTestData.AddCell(row, "f", "country", new Cell { TimestampMicros = Timestamp + age, Value = ByteString.CopyFromUtf8("NO") });

        Assert.AreNotEqual(written.Digest, new RowDigester(mapper).Digest(row, Timestamp));
    }

    [TestMethod]
    public void Checksum_SameDigestsInAnyOrder_Equal()
    {
        ulong[] digests = [.. Enumerable.Range(1, 1_000).Select(i => (ulong)i * 0x9E3779B97F4A7C15UL)];

        Checksum forward = digests.Aggregate(default(Checksum), (sum, d) => sum.Add(d));
        Checksum backward = Enumerable.Reverse(digests).Aggregate(default(Checksum), (sum, d) => sum.Add(d));
        Checksum shuffled = digests.OrderBy(d => d % 7).ThenBy(d => d >> 32).Aggregate(default(Checksum), (sum, d) => sum.Add(d));

        Assert.AreEqual(forward, backward);
        Assert.AreEqual(forward, shuffled);
        Assert.AreEqual(1_000L, forward.Count);
    }

    [TestMethod]
    public void Checksum_OneDigestChangedOrMissing_Differs()
    {
        ulong[] digests = [.. Enumerable.Range(1, 100).Select(i => (ulong)i * 0xBF58476D1CE4E5B9UL)];
        Checksum all = digests.Aggregate(default(Checksum), (sum, d) => sum.Add(d));

        Checksum changed = digests.Select((d, i) => i == 50 ? d + 1 : d).Aggregate(default(Checksum), (sum, d) => sum.Add(d));
        Checksum missing = digests.Skip(1).Aggregate(default(Checksum), (sum, d) => sum.Add(d));

        Assert.AreNotEqual(all, changed);
        Assert.AreEqual(all.Count, changed.Count);
        Assert.AreNotEqual(all, missing);
    }

    [TestMethod]
    public void Merge_Splits_EqualsWhole()
    {
        ulong[] digests = [.. Enumerable.Range(1, 300).Select(i => ulong.MaxValue - ((ulong)i * 0x94D049BB133111EBUL))];
        Checksum whole = digests.Aggregate(default(Checksum), (sum, d) => sum.Add(d));

        Checksum first = digests.Take(100).Aggregate(default(Checksum), (sum, d) => sum.Add(d));
        Checksum second = digests.Skip(100).Take(150).Aggregate(default(Checksum), (sum, d) => sum.Add(d));
        Checksum third = digests.Skip(250).Aggregate(default(Checksum), (sum, d) => sum.Add(d));

        Assert.AreEqual(whole, first.Merge(second).Merge(third));
        Assert.AreEqual(whole, third.Merge(first).Merge(second));
        Assert.AreEqual(whole, whole.Merge(default));
    }

    [TestMethod]
    public void Checksum_MappedChunkDigests_MatchReadBackDigests()
    {
        RowMapper mapper = MapperTestData.Mapper();
        using MappedChunk chunk = MapperTestData.Map(mapper, MapperTestData.Users(50));
        MutateRowsRequest request = MapperTestData.Decode(chunk.Rows);
        var digester = new RowDigester(mapper);

        Checksum written = default;
        foreach (MappedRow row in chunk.Rows.Rows)
        {
            written = written.Add(row.Digest);
        }

        Checksum read = default;
        foreach (MutateRowsRequest.Types.Entry entry in request.Entries.Reverse())
        {
            read = read.Add(digester.Digest(MapperTestData.ToStoredRow(entry), Timestamp));
        }

        Assert.AreEqual(written, read);
    }

    private static (RowMapper Mapper, MappedRow Written, Row Stored) Written(NullHandling nulls, InputRow input)
    {
        RowMapper mapper = MapperTestData.Mapper(nulls);
        using MappedChunk chunk = MapperTestData.Map(mapper, input);
        Assert.AreEqual(1, chunk.Rows.RowCount);
        Assert.AreEqual(Timestamp, chunk.Rows[0].TimestampMicros);
        Row stored = MapperTestData.ToStoredRow(MapperTestData.Decode(chunk.Rows).Entries.Single());
        Assert.AreEqual(chunk.Rows[0].Digest, new RowDigester(mapper).Digest(stored, Timestamp), "as written");
        return (mapper, chunk.Rows[0], stored);
    }

    private static Column? FindColumn(Row row, string family, string qualifier) =>
        row.Families.FirstOrDefault(f => f.Name == family)?.Columns.FirstOrDefault(c => c.Qualifier.ToStringUtf8() == qualifier);

    private static Cell OnlyCell(Row row, string family, string qualifier) => FindColumn(row, family, qualifier)!.Cells.Single();
}
