using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Tests.Serving;

[TestClass]
public sealed class RowAnswerTests
{
    private static readonly FeatureSetOptions s_featureSet = ServingFixtures.FeatureSet(TimeSpan.FromHours(1));
    private static readonly RowAnswer s_answer = new([.. s_featureSet.Features.Select(f => ServedFeature.From(f, s_featureSet))]);

    [TestMethod]
    public void Decide_ValueCell_PresentWithValueAndEventTime()
    {
        Row row = Row(("f", "clicks", 5_000, CellEncoding.Int64(42), ReadFilter.ValueLabel));

        FeatureResult clicks = s_answer.Decide(row)[0];

        Assert.AreEqual(FeatureStatus.Present, clicks.Status);
        Assert.AreEqual(42, clicks.Value.AsInt64());
        Assert.AreEqual(DateTimeOffset.UnixEpoch.AddMilliseconds(5), clicks.EventTime);
    }

    [TestMethod]
    public void Decide_OnlyAnOlderStrippedCell_OutsideMaxAgeWithItsTimeAndNoValue()
    {
        Row row = Row(("f", "s", 7_000, [], ReadFilter.OutsideMaxAgeLabel));

        FeatureResult score = s_answer.Decide(row)[1];

        Assert.AreEqual(FeatureStatus.OutsideMaxAge, score.Status);
        Assert.IsTrue(score.Value.IsEmpty);
        Assert.AreEqual(DateTimeOffset.UnixEpoch.AddMilliseconds(7), score.EventTime);
    }

    [TestMethod]
    public void Decide_ValueAndOlderCellsOfOneColumn_PresentWins()
    {
        Row row = Row(("f", "clicks", 9_000, CellEncoding.Int64(1), ReadFilter.ValueLabel), ("f", "clicks", 1_000, [], ReadFilter.OutsideMaxAgeLabel));

        Assert.AreEqual(FeatureStatus.Present, s_answer.Decide(row)[0].Status);
    }

    [TestMethod]
    public void Decide_RowExistsColumnsMissing_NullableIsNullValueOthersNotFound()
    {
        Row row = Row(("f", "clicks", 1_000, [], ReadFilter.RowLabel));

        FeatureResult[] results = s_answer.Decide(row);

        Assert.AreEqual(FeatureStatus.NotFound, results[0].Status, "the row cell is not a value");
        Assert.AreEqual(FeatureStatus.NotFound, results[1].Status);
        Assert.AreEqual(FeatureStatus.NullValue, results[2].Status);
        Assert.IsNull(results[2].EventTime);
    }

    [TestMethod]
    public void Decide_OnlyStaleCellsInTheRow_NullableIsNotFoundNotNullValue()
    {
        // Every cell aged out: no evidence the entity exists within its max age, so a deleted null is no answer either.
        Row row = Row(("f", "s", 7_000, [], ReadFilter.OutsideMaxAgeLabel));

        FeatureResult[] results = s_answer.Decide(row);

        Assert.AreEqual(FeatureStatus.OutsideMaxAge, results[1].Status);
        Assert.AreEqual(FeatureStatus.NotFound, results[2].Status);
    }

    [TestMethod]
    public void Decide_EmptyStringValue_PresentNotNull()
    {
        Row row = Row(("g", "country", 1_000, [], ReadFilter.ValueLabel));

        FeatureResult country = s_answer.Decide(row)[2];

        Assert.AreEqual(FeatureStatus.Present, country.Status);
        Assert.AreEqual(string.Empty, country.Value.AsString());
    }

    [TestMethod]
    public void Missing_EveryFeature_NotFound()
    {
        var selection = new ReadSelection([.. s_featureSet.Features.Select(f => ServedFeature.From(f, s_featureSet))], [.. s_featureSet.Families.Keys]);

        Assert.HasCount(s_featureSet.Features.Count, selection.Missing);
        Assert.IsTrue(selection.Missing.All(r => r.Status == FeatureStatus.NotFound));
    }

    [TestMethod]
    public void Decide_ValueOfTheWrongLength_ThrowsNamingRowColumnAndFeature()
    {
        Row row = Row(("f", "clicks", 1_000, [1, 2, 3], ReadFilter.ValueLabel));

        InvalidDataException error = Assert.ThrowsExactly<InvalidDataException>(() => s_answer.Decide(row));

        Assert.AreEqual("Row 'k' holds 3 bytes in f:clicks, which no Int64 cell has (feature 'clicks'): the table was written with another feature set.", error.Message);
    }

    private static Row Row(params (string Family, string Qualifier, long Micros, byte[] Value, string Label)[] cells)
    {
        var row = new Row { Key = ByteString.CopyFromUtf8("k") };
        foreach (var group in cells.GroupBy(c => c.Family))
        {
            var family = new Family { Name = group.Key };
            foreach (var column in group.GroupBy(c => c.Qualifier))
            {
                var col = new Column { Qualifier = ByteString.CopyFromUtf8(column.Key) };
                foreach (var cell in column)
                {
                    var c = new Cell { TimestampMicros = cell.Micros, Value = ByteString.CopyFrom(cell.Value) };
                    c.Labels.Add(cell.Label);
                    col.Cells.Add(c);
                }

                family.Columns.Add(col);
            }

            row.Families.Add(family);
        }

        return row;
    }
}
