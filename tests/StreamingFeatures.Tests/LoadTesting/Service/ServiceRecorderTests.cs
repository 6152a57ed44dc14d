using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.LoadTesting;
using StreamingFeatures.LoadTesting.Service;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Tests.LoadTesting.Service;

[TestClass]
public sealed class ServiceRecorderTests
{
    private static readonly double[] Bounds = [0.01, 0.1, 1, double.PositiveInfinity];
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    [TestMethod]
    public void CloseInterval_CountersSinceTheBaseline_GiveRatesDeadLettersAndBucketLatency()
    {
        ServiceRecorder recorder = Recorder(rate: 100, seconds: 2, out SyntheticSource rows);
        // The service had acked 5,000 messages of earlier traffic, 100 of them poison, before this run.
        recorder.Start(Sample(acked: 5_000, poison: 100, buckets: [4_000, 4_900, 5_000, 5_000], cpu: 10));

        recorder.Published(rows.Read(0, 100), 0);
        _time.Advance(TimeSpan.FromSeconds(1));
        LoadInterval first = recorder.CloseInterval(Sample(acked: 5_080, poison: 102, buckets: [4_000, 4_960, 5_080, 5_080], cpu: 10.5, processors: 2));

        Assert.AreEqual(100, first.OfferedRate, 1e-9);
        Assert.AreEqual(80, first.AchievedRate, 1e-9, "acked in the interval per second");
        Assert.AreEqual(2, first.DeadLetters);
        Assert.AreEqual(80, first.LatencyMs.Count);
        Assert.AreEqual(10 + (90 * 40 / 60.0), first.LatencyMs.P50, 1e-9, "p50: rank 40 of the 60 in (10 ms, 100 ms]");
        Assert.AreEqual(1000, first.LatencyMs.Max, 1e-9);
        Assert.AreEqual(25, first.CpuPercent, 1e-9, "0.5 CPU-seconds in 1 s of 2 processors");
        Assert.AreEqual(100, first.KeyRangeWrites.Sum(), "published keys go to the heatmap");
        Assert.IsFalse(recorder.AllAcked, "100 of 200 planned published");
    }

    [TestMethod]
    public void Result_EveryPublishedEventAcked_ReportsTheRunOnlyAndAllAcked()
    {
        ServiceRecorder recorder = Recorder(rate: 100, seconds: 2, out SyntheticSource rows);
        recorder.Start(Sample(acked: 5_000, poison: 0, buckets: [5_000, 5_000, 5_000, 5_000]));
        recorder.Published(rows.Read(0, 100), 0);
        _time.Advance(TimeSpan.FromSeconds(1));
        recorder.CloseInterval(Sample(acked: 5_100, poison: 0, buckets: [5_000, 5_100, 5_100, 5_100]));
        recorder.Published(rows.Read(100, 100), 0);
        _time.Advance(TimeSpan.FromSeconds(1));
        recorder.CloseInterval(Sample(acked: 5_199, poison: 0, buckets: [5_000, 5_150, 5_199, 5_199]));
        Assert.IsFalse(recorder.AllAcked, "one still unacked");
        _time.Advance(TimeSpan.FromSeconds(1));
        recorder.CloseInterval(Sample(acked: 5_200, poison: 0, buckets: [5_000, 5_150, 5_200, 5_200]));

        LoadTestResult result = recorder.Result(Profile(), _time.GetUtcNow(), "projects/local/topics/t", "http://localhost:1/metrics");

        Assert.IsTrue(recorder.AllAcked);
        Assert.AreEqual(200, result.Service!.Published);
        Assert.AreEqual(200, result.Service.Acked);
        Assert.IsTrue(result.Service.AllAcked);
        CollectionAssert.AreEqual(new[] { 0.01, 0.1, 1 }, result.Service.FreshnessBucketsSeconds.ToArray());
        StringAssert.Contains(result.Service.Latency, "bucket resolution");
        Assert.AreEqual(200, result.Summary.WrittenRows);
        Assert.AreEqual(0, result.Summary.UnfinishedRows);
        Assert.AreEqual(100, result.Summary.OfferedRowsPerSecond, 1e-9);
        Assert.AreEqual(99.5, result.Summary.AchievedRowsPerSecond, 1e-9, "the window is the 2 s schedule: 199 acked in it");
        Assert.AreEqual(200, result.Summary.LatencyMs.Count, "the drain's acks count in the latency");
        Assert.AreEqual(10 + (90 * 100 / 150.0), result.Summary.LatencyMs.P50, 1e-9, "rank 100 of the 150 in (10 ms, 100 ms]");
        Assert.AreEqual(1000, result.LatencyDistribution[^1].Ms, 1e-9);
    }

    [TestMethod]
    public void Result_Warmup_LeavesTheWarmupAcksOutOfTheLatency()
    {
        ServiceRecorder recorder = Recorder(rate: 100, seconds: 2, out _, new LoadMeasure { Warmup = TimeSpan.FromSeconds(1) });
        recorder.Start(Sample(acked: 0, poison: 0, buckets: null));
        _time.Advance(TimeSpan.FromSeconds(1));
        recorder.CloseInterval(Sample(acked: 100, poison: 0, buckets: [0, 0, 100, 100]));
        _time.Advance(TimeSpan.FromSeconds(1));
        recorder.CloseInterval(Sample(acked: 200, poison: 0, buckets: [100, 100, 200, 200]));

        LatencyFigures latency = recorder.TotalLatency();

        Assert.AreEqual(100, latency.Count);
        Assert.AreEqual(10, latency.Max, 1e-9, "only the fast second-second acks");
    }

    private ServiceRecorder Recorder(double rate, int seconds, out SyntheticSource rows, LoadMeasure? measure = null)
    {
        LoadProfile profile = Profile();
        var schedule = new RateSchedule([new LoadStage(TimeSpan.FromSeconds(seconds), rate, rate)]);
        rows = LoadPlan.Rows(profile, schedule.TotalRows);
        return new ServiceRecorder(schedule, LoadPlan.EvenRanges(profile), measure ?? new LoadMeasure(), _time);
    }

    private static LoadProfile Profile() => new() { Name = "svc", Target = LoadTarget.Ingest, Keys = new LoadKeys { KeySpace = 1_000 }, Measure = new LoadMeasure { KeyRanges = 4 } };

    private static ServiceSample Sample(double acked, double poison, double[]? buckets, double? cpu = null, int? processors = null) => new()
    {
        AckedMessages = acked,
        ReceivedMessages = acked,
        NackedMessages = 0,
        RedeliveredMessages = 0,
        PoisonMessages = poison,
        RetriedEntries = 0,
        Queues = new Dictionary<string, long> { [ServiceSample.OutstandingQueue] = 0 },
        Freshness = buckets is null ? null : new BucketHistogram(Bounds, buckets, 0, buckets[^1]),
        CpuSeconds = cpu,
        Processors = processors,
    };
}
