using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.LoadTesting;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Tests.LoadTesting;

[TestClass]
public sealed class LoadRecorderTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    [TestMethod]
    public void Complete_RowsDoneLate_MeasuresLatencyFromTheirPlannedTime()
    {
        using LoadRecorder recorder = Recorder(rate: 1000, seconds: 1);
        recorder.Start();
        Admit(recorder, 0, 100); // planned at 1 ms, 2 ms, ..., 100 ms

        _time.Advance(TimeSpan.FromMilliseconds(200));
        recorder.Complete([Range(0, 100)]);
        LoadInterval interval = recorder.CloseInterval();

        Assert.AreEqual(100, interval.LatencyMs.Count);
        Assert.AreEqual(200 - 50, interval.LatencyMs.P50, 1.0);
        Assert.AreEqual(199, interval.LatencyMs.Max, 0.5);
        Assert.AreEqual(149.5, interval.LatencyMs.Mean, 0.5);
        Assert.AreEqual(500, interval.AchievedRate, 1e-6);
        Assert.AreEqual(500, interval.OfferedRate, 1e-6);
        Assert.AreEqual(1000, interval.PlannedRate, 1e-6);
    }

    [TestMethod]
    public void Complete_DeadLettersAndRetries_AreCountedPerInterval()
    {
        using LoadRecorder recorder = Recorder(rate: 1000, seconds: 1);
        recorder.Start();
        Admit(recorder, 0, 10);
        _time.Advance(TimeSpan.FromSeconds(1));
        recorder.Complete([new SourceRange(0, 0, 10, new RowStats(10, 7, 3, 0, 0, 0, 5, 0, 0))]);

        LoadInterval interval = recorder.CloseInterval();

        Assert.AreEqual(3, interval.DeadLetters);
        Assert.AreEqual(5, interval.Retries);
        Assert.AreEqual(7, interval.AchievedRate, 1e-6);
        Assert.AreEqual(7, recorder.Written);
    }

    [TestMethod]
    public void CloseInterval_PipelineQueuesAndProcess_AreSampled()
    {
        using var metrics = new PipelineMetrics();
        int depth = 7;
        metrics.ObserveQueue("write", () => depth);
        metrics.ObserveQueue("map", () => 2);
        using LoadRecorder recorder = Recorder(rate: 1000, seconds: 2);
        recorder.ObserveQueues(metrics);
        TimeSpan cpu = TimeSpan.Zero;
        recorder.UseProcessProbe(() => (cpu, 123_000_000));
        recorder.Start();

        _time.Advance(TimeSpan.FromSeconds(1));
        cpu = TimeSpan.FromSeconds(0.5);
        LoadInterval first = recorder.CloseInterval();
        depth = 3;
        _time.Advance(TimeSpan.FromSeconds(1));
        LoadInterval second = recorder.CloseInterval();

        Assert.AreEqual(7, first.Queues["write"]);
        Assert.AreEqual(2, first.Queues["map"]);
        Assert.AreEqual(3, second.Queues["write"]);
        Assert.AreEqual(50.0 / Environment.ProcessorCount, first.CpuPercent, 1e-6);
        Assert.AreEqual(0, second.CpuPercent, 1e-6);
        Assert.AreEqual(123_000_000, first.WorkingSetBytes);
    }

    [TestMethod]
    public async Task RunSamplerAsync_OnVirtualTime_ClosesOneIntervalPerSecond()
    {
        using LoadRecorder recorder = Recorder(rate: 1000, seconds: 5);
        recorder.Start();
        using var stop = new CancellationTokenSource();
        var closed = new List<LoadInterval>();
        Task sampler = recorder.RunSamplerAsync(stop.Token, i =>
        {
            lock (closed)
            {
                closed.Add(i);
            }
        });

        for (int second = 1; second <= 3; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.IsTrue(SpinWait.SpinUntil(() => recorder.Intervals.Count == second, TimeSpan.FromSeconds(10)), $"interval {second} was not closed");
        }

        await stop.CancelAsync();
        await sampler;
        CollectionAssert.AreEqual(new[] { 0.0, 1.0, 2.0 }, recorder.Intervals.Select(i => i.StartSeconds).ToArray());
        Assert.HasCount(3, closed);
    }

    [TestMethod]
    public void Result_WarmupAndDrain_AreLeftOutOfTheRates()
    {
        var measure = new LoadMeasure { Warmup = TimeSpan.FromSeconds(1) };
        using LoadRecorder recorder = Recorder(rate: 100, seconds: 3, measure);
        recorder.Start();
        for (int second = 0; second < 4; second++)
        {
            // 100 rows per second planned; 50 done in the warm-up second, 100 in each later one, 100 in the drain.
            int rows = second == 0 ? 50 : 100;
            Admit(recorder, second * 100, rows);
            _time.Advance(TimeSpan.FromSeconds(0.5));
            recorder.Complete([Range(second * 100, (second * 100) + rows)]);
            _time.Advance(TimeSpan.FromSeconds(0.5));
            recorder.CloseInterval();
        }

        LoadTestResult result = recorder.Result(new LoadProfile { Name = "r" }, DateTimeOffset.UnixEpoch);

        Assert.AreEqual(100, result.Summary.AchievedRowsPerSecond, 1e-6);
        Assert.AreEqual(300, result.Summary.PlannedRows);
        Assert.AreEqual(350, result.Summary.WrittenRows);
        Assert.AreEqual(300, result.Summary.LatencyMs.Count, "rows done in the warm-up are left out of the latencies");
        Assert.AreEqual(4, result.Summary.DurationSeconds, 1e-9);
        LoadTestResult back = LoadTestResult.FromJson(result.ToJson());
        Assert.AreEqual(result.Summary, back.Summary);
        Assert.HasCount(4, back.Intervals);
        Assert.IsNotEmpty(back.LatencyDistribution);
    }

    private LoadRecorder Recorder(double rate, int seconds, LoadMeasure? measure = null)
    {
        var profile = new LoadProfile { Name = "r", Keys = new LoadKeys { KeySpace = 1000 } };
        var schedule = new RateSchedule([new LoadStage(TimeSpan.FromSeconds(seconds), rate, rate)]);
        return new LoadRecorder(schedule, LoadPlan.EvenRanges(profile), measure ?? new LoadMeasure(), _time);
    }

    private static void Admit(LoadRecorder recorder, long first, int count)
    {
        SyntheticSource rows = LoadPlan.Rows(new LoadProfile { Name = "r", Keys = new LoadKeys { KeySpace = 1000 } }, 10_000);
        recorder.Admit(rows.Read(first, count), 0, first);
    }

    private static SourceRange Range(long start, long end) =>
        new(0, start, end, new RowStats(end - start, end - start, 0, 0, 0, 0, 0, 0, 0));
}
