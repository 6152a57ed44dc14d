using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.LoadTesting;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Tests.LoadTesting;

/// <summary>Write load per key range: sequential keys pile onto one range, bucketed keys spread evenly.</summary>
[TestClass]
public sealed class HotspotTests
{
    private const int Rows = 100_000;

    [TestMethod]
    public void Skew_SequentialKeysWithoutBuckets_IsFarAboveOne()
    {
        double skew = SkewOf(bucketPrefix: false);

        Assert.IsGreaterThan(8.0, skew, $"sequential skew {skew:0.00}");
    }

    [TestMethod]
    public void Skew_SequentialKeysWithBuckets_IsNearOne()
    {
        double skew = SkewOf(bucketPrefix: true);

        Assert.IsLessThanOrEqualTo(1.1, skew, $"bucketed skew {skew:0.000}");
    }

    [TestMethod]
    public void Even_SequentialKeySpace_SplitsIntoEqualEntityRanges()
    {
        var ranges = KeyRanges.Even(4, 1000, new RowKeyOptions { BucketPrefix = false });

        CollectionAssert.AreEqual(new[] { "", "user-0000000250", "user-0000000500", "user-0000000750" }, ranges.StartKeys.ToArray());
        Assert.AreEqual(0, ranges.RangeOfEntity("user-0000000249"u8));
        Assert.AreEqual(1, ranges.RangeOfEntity("user-0000000250"u8));
        Assert.AreEqual(3, ranges.RangeOfEntity("user-0000000999"u8));
    }

    [TestMethod]
    public void Even_BucketedKeys_SplitAtBucketBoundariesWeightedByBuckets()
    {
        var ranges = KeyRanges.Even(3, 1_000_000, new RowKeyOptions { BucketPrefix = true, Buckets = 16 });

        CollectionAssert.AreEqual(new[] { "", "5", "a" }, ranges.StartKeys.ToArray());
        CollectionAssert.AreEqual(new[] { 5 / 16.0, 5 / 16.0, 6 / 16.0 }, ranges.Weights.ToArray());
        Assert.AreEqual(16, KeyRanges.Even(100, 1000, new RowKeyOptions { Buckets = 16 }).Count, "at most one range per bucket");
    }

    [TestMethod]
    public void FromSplits_SampledKeys_BinByTabletBoundaries()
    {
        var ranges = KeyRanges.FromSplits([[], "m"u8.ToArray(), "c"u8.ToArray()], new RowKeyOptions { BucketPrefix = false });

        Assert.AreEqual(3, ranges.Count);
        Assert.AreEqual("sampled", ranges.Source);
        Assert.AreEqual(0, ranges.RangeOfKey("a"u8));
        Assert.AreEqual(1, ranges.RangeOfKey("c"u8));
        Assert.AreEqual(2, ranges.RangeOfKey("z"u8));
    }

    /// <summary>Rows 0..99,999 of sequential ids in a key space of a million, written in one interval, over 32 even ranges.</summary>
    private static double SkewOf(bool bucketPrefix)
    {
        var profile = new LoadProfile
        {
            Name = "hotspot",
            Shape = new LoadShape { Kind = LoadShapeKind.Steady, Rate = Rows, Duration = TimeSpan.FromSeconds(1) },
            Keys = new LoadKeys { Distribution = LoadKeyDistribution.Sequential, KeySpace = 1_000_000 },
            RowKey = new LoadRowKey { BucketPrefix = bucketPrefix, Buckets = 64 },
        };
        var time = new FakeTimeProvider();
        using var recorder = new LoadRecorder(RateSchedule.For(profile), LoadPlan.EvenRanges(profile), profile.Measure, time);
        SyntheticSource rows = LoadPlan.Rows(profile, Rows);
        recorder.Start();
        for (int first = 0; first < Rows; first += 1000)
        {
            SourceChunk chunk = rows.Read(first, 1000);
            recorder.Admit(chunk, 0, first);
            recorder.Complete([new SourceRange(0, first, first + 1000, new RowStats(1000, 1000, 0, 0, 0, 0, 0, 0, 0))]);
        }

        time.Advance(TimeSpan.FromSeconds(1));
        LoadInterval interval = recorder.CloseInterval();
        Assert.AreEqual(Rows, interval.KeyRangeWrites.Sum());
        Assert.AreEqual(0, recorder.Unknown);
        return interval.Skew;
    }
}
