using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Tests.Checkpoints;

[TestClass]
public sealed class RowStatsTests
{
    [TestMethod]
    public void Add_TwoStats_SumsCountsAndCombinesDigests()
    {
        var a = new RowStats(10, 8, 2, 6, 1, 1, 3, ulong.MaxValue, 0b1100);
        var b = new RowStats(5, 5, 0, 5, 0, 2, 1, 2, 0b1010);

        RowStats sum = a + b;

        Assert.AreEqual(new RowStats(15, 13, 2, 11, 1, 3, 4, 1, 0b0110), sum, "digest sum wraps, digest xor cancels shared bits");
        Assert.AreEqual(sum, RowStats.Add(a, b));
    }

    [TestMethod]
    public void Add_DefaultIsIdentity()
    {
        var stats = new RowStats(7, 6, 1, 4, 1, 0, 2, 99, 42);

        Assert.AreEqual(stats, stats + default(RowStats));
        Assert.AreEqual(stats, default(RowStats) + stats);
    }

    [TestMethod]
    public void Matched_VerifiedLessMissingAndChanged()
    {
        Assert.AreEqual(6L, new RowStats(Read: 10, Written: 10, DeadLettered: 0, Verified: 9, Missing: 2, Changed: 1, Retries: 0, DigestSum: 0, DigestXor: 0).Matched);
    }

    [TestMethod]
    public void Count_EndLessStart()
    {
        Assert.AreEqual(25L, new SourceRange(3, 100, 125, default).Count);
        Assert.AreEqual(0L, new SourceRange(3, 100, 100, default).Count);
    }
}
