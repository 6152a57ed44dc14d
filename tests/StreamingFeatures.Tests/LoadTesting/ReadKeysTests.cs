using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Tests.LoadTesting;

/// <summary>The keys a read workload asks for: their distributions' shares on a seeded generator, and repeatability.</summary>
[TestClass]
public sealed class ReadKeysTests
{
    private const int Draws = 200_000;

    [TestMethod]
    [DataRow(0.9)]
    [DataRow(1.1)]
    public void EntityOf_Zipf_HottestEntitiesTakeTheirHarmonicShare(double exponent)
    {
        const long space = 1_000;
        var keys = new ReadKeys(new LoadKeys { Distribution = LoadKeyDistribution.Zipf, KeySpace = space, ZipfExponent = exponent }, seed: 7);
        long[] counts = Counts(keys, space);

        double harmonic = Enumerable.Range(1, (int)space).Sum(k => Math.Pow(k, -exponent));
        for (int rank = 1; rank <= 3; rank++)
        {
            double expected = Math.Pow(rank, -exponent) / harmonic;
            double sigma = Math.Sqrt(expected * (1 - expected) / Draws);
            Assert.AreEqual(expected, (double)counts[rank - 1] / Draws, 5 * sigma, $"rank {rank}");
        }
    }

    [TestMethod]
    public void EntityOf_HotKeyShare_SendsThatShareToTheHotEntities()
    {
        var keys = new ReadKeys(new LoadKeys { Distribution = LoadKeyDistribution.Uniform, KeySpace = 100_000, HotKeyShare = 0.2, HotKeys = 2 }, seed: 3);
        long[] counts = Counts(keys, 100_000);

        double share = (double)(counts[0] + counts[1]) / Draws;
        Assert.AreEqual(0.2, share, 5 * Math.Sqrt(0.2 * 0.8 / Draws), $"hot share {share:0.0000}");
    }

    [TestMethod]
    public void EntityOf_Uniform_StaysInTheKeySpaceAndSpreads()
    {
        var keys = new ReadKeys(new LoadKeys { Distribution = LoadKeyDistribution.Uniform, KeySpace = 100 }, seed: 1);
        long[] counts = Counts(keys, 100);

        Assert.AreEqual(Draws / 100.0, counts.Min(), Draws / 100.0 * 0.15, "every entity near its even share");
        Assert.AreEqual(Draws / 100.0, counts.Max(), Draws / 100.0 * 0.15, "every entity near its even share");
    }

    [TestMethod]
    public void Batch_SameSeed_AsksForTheSameWriterNamedKeys()
    {
        var loadKeys = new LoadKeys { Distribution = LoadKeyDistribution.Zipf, KeySpace = 50 };
        var a = new ReadKeys(loadKeys, seed: 11);
        var b = new ReadKeys(loadKeys, seed: 11);

        CollectionAssert.AreEqual(a.Batch(5, 10), b.Batch(5, 10));
        Assert.HasCount(10, a.Batch(5, 10));
        StringAssert.StartsWith(a.Batch(0, 1)[0].ToString(), "user-", "the synthetic writer's entity ids");
        Assert.AreEqual(a.EntityOf(51), long.Parse(a.Batch(5, 10)[1].ToString()["user-".Length..], System.Globalization.CultureInfo.InvariantCulture), "key i of request r is draw r × batch + i");
    }

    private static long[] Counts(ReadKeys keys, long space)
    {
        var counts = new long[space];
        for (long n = 0; n < Draws; n++)
        {
            counts[keys.EntityOf(n)]++;
        }

        return counts;
    }
}
