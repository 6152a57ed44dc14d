using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Tests.Pipeline;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Tests.Verification;

/// <summary>Superseded is decided feature by feature: a newer event's cell in one feature hides no change in another.</summary>
public sealed partial class CutoverReadBackTests
{
    [TestMethod]
    public void Compare_SupersededFeatureAndCorruptedOtherFeature_Changed()
    {
        // The newer event's country is null and skipped: score and active are superseded, country is still the backfill's.
        (RowMapper mapper, StoredRow stored, MappedRow backfill, byte[] written) = Land(NullHandling.Skip, new InputRow("user-1", Backfill, Country: "SE"));
        stored.Apply(Entry(mapper, new InputRow("user-1", Backfill + Minute, Score: 2, Country: null)));
        stored.CollectGarbage(MapperTestData.FeatureSet());
        var digester = new RowDigester(mapper);
        Assert.AreEqual(RowOutcome.Superseded, digester.Compare(stored.Read()!, backfill.TimestampMicros, backfill.Digest, written));
        Row row = stored.Read()!;

        row.Families.Single(f => f.Name == "f").Columns.Single(c => c.Qualifier.ToStringUtf8() == "country").Cells.Single().Value = ByteString.CopyFromUtf8("XX");

        Assert.AreEqual(RowOutcome.Changed, digester.Compare(row, backfill.TimestampMicros, backfill.Digest, written));
    }

    [TestMethod]
    public void Compare_SupersededFeaturesOnly_Superseded()
    {
        (RowMapper mapper, StoredRow stored, MappedRow backfill, byte[] written) = Land(NullHandling.Skip, new InputRow("user-1", Backfill, Clicks: 1, Country: "SE"));
        stored.Apply(Entry(mapper, new InputRow("user-1", Backfill + Minute, Clicks: 2, Country: "DK")));
        stored.CollectGarbage(MapperTestData.FeatureSet());

        Assert.AreEqual(RowOutcome.Superseded, new RowDigester(mapper).Compare(stored.Read()!, backfill.TimestampMicros, backfill.Digest, written));
    }

    [TestMethod]
    [DataRow(NullHandling.Skip)]
    [DataRow(NullHandling.DeleteColumn)]
    public void Compare_PlainCorruption_Changed(NullHandling nulls)
    {
        (RowMapper mapper, StoredRow stored, MappedRow backfill, byte[] written) = Land(nulls, new InputRow("user-1", Backfill, Country: "SE"));
        Row row = stored.Read()!;
        row.Families.Single(f => f.Name == "f").Columns.Single(c => c.Qualifier.ToStringUtf8() == "country").Cells[0].Value = ByteString.CopyFromUtf8("XX");

        Assert.AreEqual(RowOutcome.Changed, new RowDigester(mapper).Compare(row, backfill.TimestampMicros, backfill.Digest, written));
    }

    [TestMethod]
    [DataRow(NullHandling.Skip)]
    [DataRow(NullHandling.DeleteColumn)]
    public void Compare_Intact_Matched(NullHandling nulls)
    {
        (RowMapper mapper, StoredRow stored, MappedRow backfill, byte[] written) = Land(nulls, new InputRow("user-1", Backfill, Country: null));

        Assert.AreEqual(RowOutcome.Matched, new RowDigester(mapper).Compare(stored.Read()!, backfill.TimestampMicros, backfill.Digest, written));
    }

    [TestMethod]
    public void Compare_EmptyColumnWithoutNewerEvent_Changed()
    {
        (RowMapper mapper, StoredRow stored, MappedRow backfill, byte[] written) = Land(NullHandling.DeleteColumn, new InputRow("user-1", Backfill, Country: "SE"));
        Row row = stored.Read()!;
        Family f = row.Families.Single(family => family.Name == "f");
        f.Columns.Remove(f.Columns.Single(c => c.Qualifier.ToStringUtf8() == "country"));

        Assert.AreEqual(RowOutcome.Changed, new RowDigester(mapper).Compare(row, backfill.TimestampMicros, backfill.Digest, written), "a delete needs a newer event to explain it");
    }

    [TestMethod]
    public void Compare_EmptyColumnWithNewerEventButNullsSkipped_Changed()
    {
        (RowMapper mapper, StoredRow stored, MappedRow backfill, byte[] written) = Land(NullHandling.Skip, new InputRow("user-1", Backfill, Country: "SE"));
        stored.Apply(Entry(mapper, new InputRow("user-1", Backfill + Minute, Clicks: 2, Country: null)));
        Row row = stored.Read()!;
        Family f = row.Families.Single(family => family.Name == "f");
        f.Columns.Remove(f.Columns.Single(c => c.Qualifier.ToStringUtf8() == "country"));

        Assert.AreEqual(RowOutcome.Changed, new RowDigester(mapper).Compare(row, backfill.TimestampMicros, backfill.Digest, written), "a skipped null deletes nothing");
    }
}
