using StreamingFeatures.LoadTesting;
using StreamingFeatures.LoadTesting.Service;

namespace StreamingFeatures.Tests.LoadTesting.Service;

[TestClass]
public sealed class BucketHistogramTests
{
    private static readonly double[] Bounds = [0.01, 0.1, 1, double.PositiveInfinity];

    [TestMethod]
    public void ValueAt_RankInsideABucket_InterpolatesLinearlyBetweenItsBounds()
    {
        // 10 observations up to 10 ms, 80 in (10 ms, 100 ms], 10 in (100 ms, 1 s].
        var histogram = new BucketHistogram(Bounds, [10, 90, 100, 100], sum: 10, count: 100);

        Assert.AreEqual(0.01 + (0.09 * 40 / 80), histogram.ValueAt(50), 1e-12, "p50: 40 of the 80 in the second bucket");
        Assert.AreEqual(0.1, histogram.ValueAt(90), 1e-12, "p90: the top of the second bucket");
        Assert.AreEqual(0.1 + (0.9 * 9 / 10), histogram.ValueAt(99), 1e-12);
        Assert.AreEqual(1, histogram.ValueAt(100), 1e-12, "max: the upper bound of the highest bucket reached");
        Assert.AreEqual(0.005, histogram.ValueAt(5), 1e-12, "the first bucket starts at 0");
    }

    [TestMethod]
    public void ValueAt_RankInTheInfBucket_GivesTheHighestFiniteBound()
    {
        var histogram = new BucketHistogram(Bounds, [0, 0, 50, 100], sum: 200, count: 100);

        Assert.AreEqual(1, histogram.ValueAt(99));
        Assert.AreEqual(0.1, histogram.ValueAt(0), 1e-12, "p0: the bottom of the first bucket with observations");
    }

    [TestMethod]
    public void ValueAt_NoObservations_IsZero()
    {
        var histogram = new BucketHistogram(Bounds, [0, 0, 0, 0], 0, 0);

        Assert.AreEqual(0, histogram.ValueAt(99));
        Assert.AreEqual(new LatencyFigures(0, 0, 0, 0, 0, 0, 0), histogram.Figures(1000));
    }

    [TestMethod]
    public void Since_LaterCumulativeScrape_GivesOnlyTheObservationsInBetween()
    {
        var earlier = new BucketHistogram(Bounds, [100, 100, 100, 100], sum: 0.5, count: 100);
        var later = new BucketHistogram(Bounds, [100, 150, 200, 200], sum: 50.5, count: 200);

        BucketHistogram delta = later.Since(earlier);

        CollectionAssert.AreEqual(new double[] { 0, 50, 100, 100 }, delta.CumulativeCounts.ToArray());
        Assert.AreEqual(50, delta.Sum, 1e-12);
        Assert.AreEqual(100, delta.Count);
        Assert.AreEqual(0.1, delta.ValueAt(50), 1e-12, "the earlier fast observations no longer weigh in");
        Assert.IsLessThan(0.1, later.ValueAt(50), "cumulatively they would");
    }

    [TestMethod]
    public void Since_CountsWentDownOrBoundsChanged_TakesTheLaterAsAllNew()
    {
        var earlier = new BucketHistogram(Bounds, [100, 100, 100, 100], 1, 100);
        var restarted = new BucketHistogram(Bounds, [5, 10, 10, 10], 0.3, 10);
        var rebucketed = new BucketHistogram([0.5, double.PositiveInfinity], [200, 200], 3, 200);

        Assert.AreSame(restarted, restarted.Since(earlier));
        Assert.AreSame(rebucketed, rebucketed.Since(earlier));
        Assert.AreSame(restarted, restarted.Since(null));
    }

    [TestMethod]
    public void Figures_Seconds_ScaledToMillisecondsWithMeanFromSumAndCount()
    {
        var histogram = new BucketHistogram(Bounds, [10, 90, 100, 100], sum: 5, count: 100);

        LatencyFigures figures = histogram.Figures(1000);

        Assert.AreEqual(100, figures.Count);
        Assert.AreEqual(50, figures.Mean, 1e-9);
        Assert.AreEqual(55, figures.P50, 1e-9);
        Assert.AreEqual(100, figures.P90, 1e-9);
        Assert.AreEqual(1000, figures.Max, 1e-9);
        Assert.IsTrue(figures.P50 <= figures.P90 && figures.P90 <= figures.P99 && figures.P99 <= figures.P999 && figures.P999 <= figures.Max);
    }
}
