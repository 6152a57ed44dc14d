using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Tests.Serving;

[TestClass]
public sealed class ReadFilterTests
{
    private const long AsOf = ServingFixtures.EventMicros;

    [TestMethod]
    public void Build_FamilyWithMaxAge_ValuesInTheWindowAndStrippedOlderCellsOneEach()
    {
        ServedFeature[] features = Features(TimeSpan.FromHours(1), "clicks", "score");

        RowFilter filter = ReadFilter.Build(features, AsOf, ["f", "g"]);

        RowFilter[] branches = [.. filter.Interleave.Filters];
        Assert.HasCount(2, branches);
        RowFilter[] values = [.. branches[0].Chain.Filters];
        CollectionAssert.AreEqual(new[] { "clicks", "s" }, values[0].Interleave.Filters.Select(c => c.ColumnRangeFilter.StartQualifierClosed.ToStringUtf8()).ToArray());
        Assert.AreEqual(AsOf - 3_600_000_000, values[1].TimestampRangeFilter.StartTimestampMicros);
        Assert.AreEqual(AsOf + 1000, values[1].TimestampRangeFilter.EndTimestampMicros, "asOf itself included, at millisecond granularity");
        Assert.AreEqual(1, values[2].CellsPerColumnLimitFilter);
        Assert.AreEqual(ReadFilter.ValueLabel, values[3].ApplyLabelTransformer);
        RowFilter[] older = [.. branches[1].Chain.Filters];
        Assert.AreEqual(0, older[1].TimestampRangeFilter.StartTimestampMicros);
        Assert.AreEqual(AsOf - 3_600_000_000, older[1].TimestampRangeFilter.EndTimestampMicros);
        Assert.AreEqual(1, older[2].CellsPerColumnLimitFilter);
        Assert.IsTrue(older[3].StripValueTransformer, "a stale value never leaves the server");
        Assert.AreEqual(ReadFilter.OutsideMaxAgeLabel, older[4].ApplyLabelTransformer);
    }

    [TestMethod]
    public void Build_NoMaxAgeOneColumn_OneBranchWithoutLowerBound()
    {
        RowFilter filter = ReadFilter.Build(Features(null, "clicks"), AsOf, ["f"]);

        RowFilter[] chain = [.. filter.Chain.Filters];
        Assert.AreEqual("f", chain[0].ColumnRangeFilter.FamilyName);
        Assert.AreEqual("clicks", chain[0].ColumnRangeFilter.EndQualifierClosed.ToStringUtf8());
        Assert.AreEqual(0, chain[1].TimestampRangeFilter.StartTimestampMicros);
        Assert.AreEqual(1, chain[2].CellsPerColumnLimitFilter);
    }

    [TestMethod]
    public void Build_NullableFeature_AddsOneStrippedCellOfTheRowInTheFeatureSetsFamilies()
    {
        RowFilter filter = ReadFilter.Build(Features(null, "country"), AsOf, ["f", "g.h"]);

        RowFilter[] row = [.. filter.Interleave.Filters[1].Chain.Filters];
        Assert.AreEqual("(f|g\\.h)", row[0].FamilyNameRegexFilter);
        Assert.AreEqual(0, row[1].TimestampRangeFilter.StartTimestampMicros, "no max age: any cell up to asOf");
        Assert.AreEqual(AsOf + 1000, row[1].TimestampRangeFilter.EndTimestampMicros);
        Assert.AreEqual(1, row[2].CellsPerRowLimitFilter);
        Assert.IsTrue(row[3].StripValueTransformer);
        Assert.AreEqual(ReadFilter.RowLabel, row[4].ApplyLabelTransformer);
    }

    [TestMethod]
    public void Build_NullableFeatureWithMaxAge_RowBranchLooksNoFurtherBackThanTheWindow()
    {
        ServedFeature nullable = new("country", "f", ByteString.CopyFromUtf8("country"), FeatureType.String, Nullable: true, MaxAgeMicros: 3_600_000_000);
        RowFilter filter = ReadFilter.Build([nullable], AsOf, ["f"]);

        RowFilter[] row = [.. filter.Interleave.Filters.Single(b => b.Chain.Filters[^1].ApplyLabelTransformer == ReadFilter.RowLabel).Chain.Filters];
        Assert.AreEqual(AsOf - 3_600_000_000, row[1].TimestampRangeFilter.StartTimestampMicros, "a row of stale cells only is no evidence the entity exists");
    }

    [TestMethod]
    public void AsOfMicros_SubMillisecondTime_FlooredToTheMillisecondAsCellsAreStamped()
    {
        DateTimeOffset time = DateTimeOffset.UnixEpoch.AddTicks((ServingFixtures.EventMicros + 999) * 10);

        Assert.AreEqual(ServingFixtures.EventMicros, ReadFilter.AsOfMicros(time));
    }

    private static ServedFeature[] Features(TimeSpan? maxAge, params string[] names)
    {
        FeatureSetOptions featureSet = ServingFixtures.FeatureSet(maxAge);
        return [.. names.Select(name => ServedFeature.From(featureSet.Features.Single(f => f.Name == name), featureSet))];
    }
}
