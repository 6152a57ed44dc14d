using System.Text;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Tests.Verification;

/// <summary>Key ranges cut at split points: every key in exactly one range, ranges named by their bounds.</summary>
[TestClass]
public sealed class KeyRangesTests
{
    [TestMethod]
    public void Count_UnsortedSplitsWithEmptyAndRepeated_OneRangeMoreThanDistinctSplits()
    {
        var ranges = new KeyRanges([Bytes("m"), [], Bytes("c"), Bytes("m")]);

        Assert.AreEqual(3, ranges.Count);
    }

    [TestMethod]
    [DataRow("a", 0)]
    [DataRow("c", 1)]
    [DataRow("d", 1)]
    [DataRow("m", 2)]
    [DataRow("zz", 2)]
    [DataRow("", 0)]
    public void IndexOf_Key_RangeWhoseStartIsAtOrBeforeIt(string key, int expected)
    {
        var ranges = new KeyRanges([Bytes("c"), Bytes("m")]);

        Assert.AreEqual(expected, ranges.IndexOf(Bytes(key)));
    }

    [TestMethod]
    public void IndexOf_NoSplits_EveryKeyInTheOneRange()
    {
        var ranges = new KeyRanges([]);

        Assert.AreEqual(1, ranges.Count);
        Assert.AreEqual(0, ranges.IndexOf(Bytes("anything")));
    }

    [TestMethod]
    public void Describe_FirstMiddleLast_NamesTheTableEnds()
    {
        var ranges = new KeyRanges([Bytes("c"), Bytes("m")]);

        Assert.AreEqual("[(table start), c)", ranges.Describe(0));
        Assert.AreEqual("[c, m)", ranges.Describe(1));
        Assert.AreEqual("[m, (table end))", ranges.Describe(2));
        Assert.IsNull(ranges.Start(0));
        Assert.IsNull(ranges.End(2));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
