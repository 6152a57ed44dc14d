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
/// A backfill and a live stream writing one row in either order (a zero-downtime cutover): the newest event's cells
/// end up newest, and the backfill's read-back calls a row a newer event overwrote superseded, never changed.
/// Family <c>f</c> keeps one version, <c>agg</c> three (see <see cref="MapperTestData.FeatureSet"/>).
/// </summary>
[TestClass]
public sealed partial class CutoverReadBackTests
{
    private const long Backfill = MapperTestData.EventTime;
    private const long Minute = 60_000_000;

    [TestMethod]
    public void Digest_NewerStreamEventLetGcCollectBackfilledCells_SupersededNotMatched()
    {
        (RowMapper mapper, StoredRow stored, MappedRow backfill, byte[] written) = Land(NullHandling.Skip, new InputRow("user-1", Backfill, Clicks: 1, Score: 1, Country: "SE"));
        stored.Apply(Entry(mapper, new InputRow("user-1", Backfill + Minute, Clicks: 2, Score: 2, Country: "DK")));
        stored.CollectGarbage(MapperTestData.FeatureSet());

        RowOutcome outcome = new RowDigester(mapper).Compare(stored.Read()!, backfill.TimestampMicros, backfill.Digest, written);

        Assert.AreEqual(RowOutcome.Superseded, outcome, "the f cells of the backfill are gone, newer ones hold their place");
        Assert.AreEqual(ByteString.CopyFrom(CellEncoding.String("DK")), stored.Newest("f", "country")!.Value.Value);
    }

    [TestMethod]
    public void Digest_NewerStreamEventBeforeGc_MatchesAndNotSuperseded()
    {
        (RowMapper mapper, StoredRow stored, MappedRow backfill, byte[] written) = Land(NullHandling.Skip, new InputRow("user-1", Backfill));
        stored.Apply(Entry(mapper, new InputRow("user-1", Backfill + Minute, Clicks: 7)));

        RowOutcome outcome = new RowDigester(mapper).Compare(stored.Read()!, backfill.TimestampMicros, backfill.Digest, written);

        Assert.AreEqual(RowOutcome.Matched, outcome);
    }

    [TestMethod]
    public void Digest_CellLostWithoutNewerEvent_NotSuperseded()
    {
        (RowMapper mapper, StoredRow stored, MappedRow backfill, byte[] written) = Land(NullHandling.Skip, new InputRow("user-1", Backfill));
        Row row = stored.Read()!;
        row.Families.Single(f => f.Name == "f").Columns.RemoveAt(0);

        RowOutcome outcome = new RowDigester(mapper).Compare(row, backfill.TimestampMicros, backfill.Digest, written);

        Assert.AreEqual(RowOutcome.Changed, outcome, "a cell gone with nothing newer in its column is a change");
    }

    [TestMethod]
    [DataRow(NullHandling.Skip)]
    [DataRow(NullHandling.DeleteColumn)]
    public void Apply_OlderStreamEventAfterBackfill_BackfillStaysNewestAndMatches(NullHandling nulls)
    {
        (RowMapper mapper, StoredRow stored, MappedRow backfill, byte[] written) = Land(nulls, new InputRow("user-1", Backfill, Clicks: 5, Country: "SE"));
        stored.Apply(Entry(mapper, new InputRow("user-1", Backfill - Minute, Clicks: 4, Country: null)));
        stored.CollectGarbage(MapperTestData.FeatureSet(nulls));

        RowOutcome outcome = new RowDigester(mapper).Compare(stored.Read()!, backfill.TimestampMicros, backfill.Digest, written);

        Assert.AreEqual(RowOutcome.Matched, outcome, "an older event's delete ends before the backfill's cells");
        Assert.AreEqual(backfill.TimestampMicros, stored.Newest("f", "country")!.Value.TimestampMicros);
        Assert.AreEqual(backfill.TimestampMicros, stored.Newest("agg", "clicks_7d")!.Value.TimestampMicros);
    }

    [TestMethod]
    public void Apply_DeleteAtOlderEventTimeAfterNewerCell_KeepsNewerCell()
    {
        RowMapper mapper = MapperTestData.Mapper(NullHandling.DeleteColumn);
        MutateRowsRequest.Types.Entry newer = Entry(mapper, new InputRow("user-1", Backfill + 1_000, Country: "DK"));
        var stored = new StoredRow(newer.RowKey);
        stored.Apply(newer);

        // One millisecond older: the delete's range ends exactly where the newer cell starts.
        stored.Apply(Entry(mapper, new InputRow("user-1", Backfill, Country: null)));

        Assert.AreEqual(ByteString.CopyFrom(CellEncoding.String("DK")), stored.Newest("f", "country")!.Value.Value);
    }

    [TestMethod]
    public void Digest_NewerStreamEventDeletedNull_BackfillSuperseded()
    {
        (RowMapper mapper, StoredRow stored, MappedRow backfill, byte[] written) = Land(NullHandling.DeleteColumn, new InputRow("user-1", Backfill, Country: "SE"));
        stored.Apply(Entry(mapper, new InputRow("user-1", Backfill + Minute, Country: null)));
        stored.CollectGarbage(MapperTestData.FeatureSet(NullHandling.DeleteColumn));

        RowOutcome outcome = new RowDigester(mapper).Compare(stored.Read()!, backfill.TimestampMicros, backfill.Digest, written);

        Assert.IsNull(stored.Newest("f", "country"), "the newer event's null deleted the backfilled country");
        Assert.AreEqual(RowOutcome.Superseded, outcome, "the same event's newer cells in the other features show the row was overwritten");
    }

    /// <summary>Writes <paramref name="row"/>: the mapper, the stored row, the row as mapped and its mutations' bytes.</summary>
    private static (RowMapper Mapper, StoredRow Stored, MappedRow Written, byte[] Mutations) Land(NullHandling nulls, InputRow row)
    {
        RowMapper mapper = MapperTestData.Mapper(nulls);
        using MappedChunk chunk = MapperTestData.Map(mapper, row);
        MutateRowsRequest.Types.Entry entry = MapperTestData.Decode(chunk.Rows).Entries.Single();
        var stored = new StoredRow(entry.RowKey);
        stored.Apply(entry);
        return (mapper, stored, chunk.Rows[0], chunk.Rows.Mutations(0).ToArray());
    }

    private static MutateRowsRequest.Types.Entry Entry(RowMapper mapper, InputRow row)
    {
        using MappedChunk chunk = MapperTestData.Map(mapper, row);
        return MapperTestData.Decode(chunk.Rows).Entries.Single();
    }
}
