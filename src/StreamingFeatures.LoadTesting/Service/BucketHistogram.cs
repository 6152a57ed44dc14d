namespace StreamingFeatures.LoadTesting.Service;

/// <summary>
/// A Prometheus histogram: cumulative counts at ascending upper bounds (the last <c>+Inf</c>), with the sum and
/// count of the observations. Percentiles are interpolated linearly inside a bucket, as PromQL's
/// <c>histogram_quantile</c> does, so they are exact only to the bucket's width.
/// </summary>
public sealed class BucketHistogram
{
    public BucketHistogram(IReadOnlyList<double> upperBounds, IReadOnlyList<double> cumulativeCounts, double sum, double count)
    {
        ArgumentNullException.ThrowIfNull(upperBounds);
        ArgumentNullException.ThrowIfNull(cumulativeCounts);
        if (upperBounds.Count != cumulativeCounts.Count)
        {
            throw new ArgumentException($"{upperBounds.Count} bounds but {cumulativeCounts.Count} counts.", nameof(cumulativeCounts));
        }

        UpperBounds = upperBounds;
        CumulativeCounts = cumulativeCounts;
        Sum = sum;
        Count = count;
    }

    public IReadOnlyList<double> UpperBounds { get; }

    public IReadOnlyList<double> CumulativeCounts { get; }

    public double Sum { get; }

    public double Count { get; }

    /// <summary>Observations in the last bucket (all of them when there is no <c>+Inf</c> bucket).</summary>
    public double Total => CumulativeCounts.Count == 0 ? 0 : CumulativeCounts[^1];

    /// <summary>
    /// What was observed between <paramref name="earlier"/> and this one. A histogram that went down, or whose bounds
    /// changed, was reset (the service restarted): then everything in this one is new, as PromQL's <c>increase</c> takes it.
    /// </summary>
    public BucketHistogram Since(BucketHistogram? earlier)
    {
        if (earlier is null || !SameBounds(earlier) || Total < earlier.Total || Count < earlier.Count)
        {
            return this;
        }

        var counts = new double[CumulativeCounts.Count];
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = Math.Max(0, CumulativeCounts[i] - earlier.CumulativeCounts[i]);
        }

        return new BucketHistogram(UpperBounds, counts, Sum - earlier.Sum, Count - earlier.Count);
    }

    /// <summary>
    /// The value at <paramref name="percentile"/> (0 to 100), interpolated inside its bucket between the bucket's lower
    /// bound (the previous bound, 0 for the first) and its upper bound; in the <c>+Inf</c> bucket, the highest finite
    /// bound. 0 without observations.
    /// </summary>
    public double ValueAt(double percentile)
    {
        double total = Total;
        if (total <= 0)
        {
            return 0;
        }

        double rank = Math.Clamp(percentile, 0, 100) / 100 * total;
        for (int i = 0; i < UpperBounds.Count; i++)
        {
            double below = i == 0 ? 0 : CumulativeCounts[i - 1];
            double inBucket = CumulativeCounts[i] - below;
            // The rank's bucket: the first that reaches it; skip empty buckets so p0 lands on the first observation's bucket.
            if (CumulativeCounts[i] >= rank && inBucket > 0)
            {
                double upper = UpperBounds[i];
                double lower = i == 0 ? Math.Min(0, upper) : UpperBounds[i - 1];
                if (double.IsPositiveInfinity(upper))
                {
                    return lower;
                }

                return lower + ((upper - lower) * Math.Clamp((rank - below) / inBucket, 0, 1));
            }
        }

        return UpperBounds.LastOrDefault(double.IsFinite);
    }

    /// <summary>Count, mean and percentiles, each multiplied by <paramref name="scale"/> (1000 for seconds to milliseconds).</summary>
    public LatencyFigures Figures(double scale)
    {
        double total = Total;
        if (total <= 0)
        {
            return new LatencyFigures(0, 0, 0, 0, 0, 0, 0);
        }

        return new LatencyFigures(
            (long)Math.Round(total),
            Count > 0 ? Sum / Count * scale : 0,
            ValueAt(50) * scale,
            ValueAt(90) * scale,
            ValueAt(99) * scale,
            ValueAt(99.9) * scale,
            ValueAt(100) * scale);
    }

    private bool SameBounds(BucketHistogram other)
    {
        if (other.UpperBounds.Count != UpperBounds.Count)
        {
            return false;
        }

        for (int i = 0; i < UpperBounds.Count; i++)
        {
            if (UpperBounds[i] != other.UpperBounds[i])
            {
                return false;
            }
        }

        return true;
    }
}
