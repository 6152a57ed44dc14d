using StreamingFeatures.Emulators.BigQuery;

namespace StreamingFeatures.Tests.BigQuery;

/// <summary>The bitmap of a stream's matching rows maps every stream offset back to the same table row as a list would.</summary>
[TestClass]
public sealed class RowMatchesTests
{
    [TestMethod]
    [DataRow(0.5)]
    [DataRow(0.01)]
    [DataRow(1.0)]
    public void TableRows_AnyOffsetAndCount_SameRowsAsTheListOfMatches(double density)
    {
        const long Start = 1_000_003;
        const long End = Start + 20_011;
        var random = new Random(7);
        var matches = new RowMatches(Start, End);
        var expected = new List<long>();
        for (long row = Start; row < End; row++)
        {
            // A long empty stretch makes whole blocks share a running count.
            if (random.NextDouble() < density && (row - Start) is < 5_000 or > 14_000)
            {
                matches.Add(row);
                expected.Add(row);
            }
        }

        matches.Seal();

        Assert.AreEqual(expected.Count, matches.Count);
        foreach (int offset in new[] { 0, 1, 63, 64, 65, expected.Count / 3, expected.Count / 2, expected.Count - 1, expected.Count })
        {
            int count = Math.Min(1_500, expected.Count - offset);
            CollectionAssert.AreEqual(expected.GetRange(offset, count), matches.TableRows(offset, count), $"offset {offset}");
        }
    }

    [TestMethod]
    public void TableRows_NoMatches_CountZeroAndEmptyRows()
    {
        var matches = new RowMatches(10, 5_000);
        matches.Seal();

        Assert.AreEqual(0, matches.Count);
        Assert.IsEmpty(matches.TableRows(0, 0));
    }
}
