namespace StreamingFeatures.LoadTesting.Service;

/// <summary>The run's result, in the same shape as an in-process run's, with what the service's counters said.</summary>
public sealed partial class ServiceRecorder
{
    /// <summary>How the latency figures of a service run are measured, for the report.</summary>
    internal const string LatencyNote = "Latency is the service's publish-to-ack time, from the increase of its freshness histogram per interval: "
        + "percentiles are interpolated inside the histogram's buckets, so they are exact only to a bucket's width (bucket resolution); max is the upper bound of the highest bucket reached.";

    /// <summary>The result so far; call after the last <see cref="CloseInterval"/>.</summary>
    public LoadTestResult Result(LoadProfile profile, DateTimeOffset startedAt, string topic, string metricsUrl, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ServiceSample baseline = _baseline ?? throw new InvalidOperationException("The recorder never started.");
        ServiceSample last = _last!;
        long acked = (long)ServiceSample.Increase(baseline.AckedMessages, last.AckedMessages);
        long poison = (long)ServiceSample.Increase(baseline.PoisonMessages, last.PoisonMessages);
        var service = new ServiceRun
        {
            Topic = topic,
            MetricsUrl = metricsUrl,
            Published = PublishedEvents,
            Acked = acked,
            Received = (long)ServiceSample.Increase(baseline.ReceivedMessages, last.ReceivedMessages),
            Nacked = (long)ServiceSample.Increase(baseline.NackedMessages, last.NackedMessages),
            Redelivered = (long)ServiceSample.Increase(baseline.RedeliveredMessages, last.RedeliveredMessages),
            Poison = poison,
            AllAcked = AllAcked,
            Latency = LatencyNote,
            FreshnessBucketsSeconds = last.Freshness is { } freshness ? [.. freshness.UpperBounds.Where(double.IsFinite)] : [],
        };
        // Poison messages are acked too (after their dead-letter publish): the rows written are the rest.
        long written = Math.Max(0, acked - poison);
        long retries = (long)ServiceSample.Increase(baseline.RetriedEntries, last.RetriedEntries);
        LoadTestResult result = _intervals.Result(
            profile,
            startedAt,
            environment,
            new LoadResults.RunCounts(PublishedEvents, written, poison, retries),
            Intervals,
            TotalLatency(),
            LatencyDistribution());
        return result with { Service = service };
    }
}
