using StreamingFeatures.LoadTesting;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Tests.LoadTesting;

/// <summary>The generator's key distributions, as load profiles use them, against their parameters.</summary>
[TestClass]
public sealed class KeyDistributionTests
{
    private const int Rows = 200_000;

    [TestMethod]
    [DataRow(0.8)]
    [DataRow(1.2)]
    public void EntityOf_Zipf_FrequencyFallsWithRankAsItsExponent(double exponent)
    {
        SyntheticSource source = Source(new LoadKeys { Distribution = LoadKeyDistribution.Zipf, KeySpace = 10_000, ZipfExponent = exponent });
        long[] counts = Counts(source, 10_000);

        // Least squares of log frequency on log rank over the 30 most frequent ranks (entity k is rank k + 1).
        double[] x = [.. Enumerable.Range(1, 30).Select(r => Math.Log(r))];
        double[] y = [.. Enumerable.Range(0, 30).Select(k => Math.Log(counts[k]))];
        double slope = Slope(x, y);

        Assert.AreEqual(-exponent, slope, 0.08, $"fitted exponent {-slope:0.000}");
        Assert.IsTrue(counts[0] > counts[1] && counts[1] > counts[9], "rank 1 is the hottest");
    }

    [TestMethod]
    public void EntityOf_HotKeyShare_SendsThatShareToTheHotEntities()
    {
        SyntheticSource source = Source(new LoadKeys { Distribution = LoadKeyDistribution.Uniform, KeySpace = 1_000_000, HotKeyShare = 0.3, HotKeys = 5 });
        long[] counts = Counts(source, 1_000_000);

        long hot = counts.Take(5).Sum();
        double sigma = Math.Sqrt(0.3 * 0.7 / Rows);
        Assert.AreEqual(0.3, (double)hot / Rows, 4 * sigma, $"hot share {(double)hot / Rows:0.0000}");
        foreach (long count in counts.Take(5))
        {
            Assert.AreEqual(Rows * 0.3 / 5, count, Rows * 0.3 / 5 * 0.05, "each hot entity takes an equal part");
        }

        Assert.IsLessThan(10, counts.Skip(5).Max(), "the rest stays uniform over a million entities");
    }

    [TestMethod]
    public void EntityOf_NoHotKeyShare_IsUnchanged()
    {
        var plain = new SyntheticSource(new SyntheticSourceOptions { Rows = 1000, Keys = KeyDistribution.Zipf });
        var zero = new SyntheticSource(new SyntheticSourceOptions { Rows = 1000, Keys = KeyDistribution.Zipf, HotKeyShare = 0, HotKeys = 3 });

        for (long row = 0; row < 1000; row++)
        {
            Assert.AreEqual(plain.EntityOf(row), zero.EntityOf(row));
        }
    }

    [TestMethod]
    public void Validate_HotKeysOutsideTheKeySpace_IsRefused()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new SyntheticSource(new SyntheticSourceOptions { Rows = 10, KeySpace = 4, HotKeyShare = 1.5, HotKeys = 5 }));

        StringAssert.Contains(e.Message, "HotKeyShare is 1.5; allowed 0 to 1.");
        StringAssert.Contains(e.Message, "HotKeys is 5; allowed 1 to the key space (4).");
    }

    private static SyntheticSource Source(LoadKeys keys) =>
        LoadPlan.Rows(new LoadProfile { Name = "keys", Keys = keys }, Rows);

    private static long[] Counts(SyntheticSource source, long keySpace)
    {
        long[] counts = new long[keySpace];
        for (long row = 0; row < Rows; row++)
        {
            counts[source.EntityOf(row)]++;
        }

        return counts;
    }

    private static double Slope(double[] x, double[] y)
    {
        double mx = x.Average();
        double my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        double sxx = x.Sum(a => (a - mx) * (a - mx));
        return sxy / sxx;
    }
}
