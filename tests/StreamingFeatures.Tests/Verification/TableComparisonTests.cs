using System.Text;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Tests.Verification;

/// <summary>
/// The per-range figures of a comparison: read-back outcomes counted where their keys fall, key sums that agree
/// exactly when the table holds no other row, and only disagreeing ranges sent to the exact pass.
/// </summary>
[TestClass]
public sealed class TableComparisonTests
{
    [TestMethod]
    public void ExactPassGroups_SameKeysOnBothSidesInAnyOrder_None()
    {
        TableComparison comparison = Comparison();
        string[] keys = ["a1", "a2", "n1", "n2"];
        foreach (string key in keys)
        {
            Source(comparison, key, RowOutcome.Matched);
        }

        foreach (string key in keys.Reverse())
        {
            Table(comparison, key);
        }

        Assert.IsEmpty(comparison.ExactPassGroups(maxKeys: 100));
        ComparisonReport report = comparison.Report(rejected: 0, sourcePasses: 1);
        Assert.IsTrue(report.IsIdentical);
        Assert.AreEqual(4, report.Matched);
        Assert.AreEqual(4, report.TableRows);
        Assert.IsEmpty(report.Differences);
    }

    [TestMethod]
    public void Report_RowANewerEventOverwrote_SupersededNotADifference()
    {
        TableComparison comparison = Comparison();
        Source(comparison, "a1", RowOutcome.Matched);
        Source(comparison, "n1", RowOutcome.Superseded);
        Table(comparison, "a1");
        Table(comparison, "n1");

        ComparisonReport report = comparison.Report(rejected: 0, sourcePasses: 1);

        Assert.IsTrue(report.IsIdentical);
        Assert.AreEqual(1, report.Superseded);
        Assert.AreEqual(0, report.Changed);
        Assert.IsEmpty(comparison.ExactPassGroups(maxKeys: 100), "a superseded row is in the table: its key counts on both sides");
    }

    [TestMethod]
    public void ExactPassGroups_TableHasAnotherKeyInOneRange_OnlyThatRange()
    {
        TableComparison comparison = Comparison();
        Source(comparison, "a1", RowOutcome.Matched);
        Source(comparison, "n1", RowOutcome.Matched);
        Table(comparison, "a1");
        Table(comparison, "n1");
        Table(comparison, "n9");

        IReadOnlyList<ExactPass> groups = comparison.ExactPassGroups(maxKeys: 100);

        Assert.HasCount(1, groups);
        CollectionAssert.AreEqual(new[] { 1 }, groups[0].Ranges);
        Assert.IsTrue(comparison[1].CheckedExactly);
        Assert.IsFalse(comparison[0].CheckedExactly);
    }

    [TestMethod]
    public void ExactPassGroups_MissingRowOnly_NoRangeSearched()
    {
        // A missing row is not in the table: its key counts on neither side, so only extras make the sums differ.
        TableComparison comparison = Comparison();
        Source(comparison, "a1", RowOutcome.Matched);
        Source(comparison, "a2", RowOutcome.Missing);
        Table(comparison, "a1");

        Assert.IsEmpty(comparison.ExactPassGroups(maxKeys: 100));
        Assert.AreEqual(1, comparison.Report(0, 1).Missing);
    }

    [TestMethod]
    public void ExactPassGroups_MoreKeysThanTheLimit_SplitIntoGroups()
    {
        var comparison = new TableComparison(new KeyRanges([Bytes("b"), Bytes("c")]), maxReportedKeys: 10);
        foreach (string key in new[] { "a1", "b1", "c1" })
        {
            Table(comparison, key);
        }

        IReadOnlyList<ExactPass> groups = comparison.ExactPassGroups(maxKeys: 2);

        Assert.HasCount(2, groups);
        CollectionAssert.AreEqual(new[] { 0, 1 }, groups[0].Ranges);
        CollectionAssert.AreEqual(new[] { 2 }, groups[1].Ranges);
    }

    [TestMethod]
    public void ExactPassGroups_OneRangeAboveTheLimit_SlicedSoEachKeyIsInExactlyOnePass()
    {
        var comparison = new TableComparison(new KeyRanges([Bytes("b")]), maxReportedKeys: 10);
        string[] keys = [.. Enumerable.Range(0, 7).Select(i => "a" + i)];
        foreach (string key in keys)
        {
            Table(comparison, key);
        }

        Table(comparison, "b1");
        IReadOnlyList<ExactPass> passes = comparison.ExactPassGroups(maxKeys: 3);

        ExactPass[] sliced = [.. passes.Where(p => p.Ranges.SequenceEqual([0]))];
        Assert.HasCount(3, sliced, "7 keys, at most 3 per pass");
        Assert.IsTrue(sliced.All(p => p.Slices == 3));
        CollectionAssert.AreEquivalent(new[] { 0, 1, 2 }, sliced.Select(p => p.Slice).ToArray());
        foreach (ulong hash in keys.Select(k => KeyRanges.KeyHash(Bytes(k))).Concat([0UL, ulong.MaxValue, 1UL << 32]))
        {
            Assert.AreEqual(1, sliced.Count(p => p.Holds(hash)), $"hash {hash}");
        }

        Assert.IsTrue(passes.Single(p => p.Ranges.SequenceEqual([1])).Holds(KeyRanges.KeyHash(Bytes("b1"))), "a range within the limit is one whole pass");
    }

    [TestMethod]
    public void Report_OneOfEachDifference_ListedInTheirRanges()
    {
        TableComparison comparison = Comparison();
        Source(comparison, "a1", RowOutcome.Missing);
        Source(comparison, "a2", RowOutcome.Changed);
        Source(comparison, "n1", RowOutcome.Matched);
        comparison.NoteExtra(1, Bytes("n9"));

        ComparisonReport report = comparison.Report(rejected: 2, sourcePasses: 2);

        Assert.IsFalse(report.IsIdentical);
        Assert.AreEqual((1L, 1L, 1L, 1L, 2L), (report.Missing, report.Changed, report.Extra, report.Matched, report.Rejected));
        Assert.HasCount(2, report.Differences);
        Assert.AreEqual("[(table start), m)", report.Differences[0].Range);
        CollectionAssert.AreEqual(new[] { "a1" }, report.Differences[0].MissingKeys.ToArray());
        CollectionAssert.AreEqual(new[] { "a2" }, report.Differences[0].ChangedKeys.ToArray());
        CollectionAssert.AreEqual(new[] { "n9" }, report.Differences[1].ExtraKeys.ToArray());
    }

    [TestMethod]
    public void Report_MoreDifferencesThanTheCap_CountsAllListsOnlyTheCap()
    {
        var comparison = new TableComparison(new KeyRanges([]), maxReportedKeys: 2);
        foreach (string key in new[] { "a", "b", "c" })
        {
            Source(comparison, key, RowOutcome.Missing);
        }

        comparison.NoteExtra(0, Bytes("d"));

        ComparisonReport report = comparison.Report(0, 1);
        Assert.AreEqual(3, report.Missing);
        Assert.AreEqual(1, report.Extra);
        Assert.HasCount(2, report.Differences[0].MissingKeys);
        Assert.IsEmpty(report.Differences[0].ExtraKeys);
    }

    private static TableComparison Comparison() => new(new KeyRanges([Bytes("m")]), maxReportedKeys: 10);

    private static void Source(TableComparison comparison, string key, RowOutcome outcome) =>
        comparison.NoteSource(comparison.Ranges.IndexOf(Bytes(key)), KeyRanges.KeyHash(Bytes(key)), outcome, Bytes(key));

    private static void Table(TableComparison comparison, string key) =>
        comparison.NoteTableRow(comparison.Ranges.IndexOf(Bytes(key)), KeyRanges.KeyHash(Bytes(key)));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
