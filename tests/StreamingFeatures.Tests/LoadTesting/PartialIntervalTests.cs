using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.LoadTesting;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Tests.LoadTesting;

/// <summary>Intervals shorter than the measure interval: kept in the counts, left out of the rates and peaks.</summary>
[TestClass]
public sealed class PartialIntervalTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    [TestMethod]
    public void Result_ShortLastInterval_IsFlaggedPartialAndLeftOutOfRatesAndPeaks()
    {
        using LoadRecorder recorder = Recorder(rate: 100, seconds: 3);
        recorder.Start();
        for (int second = 0; second < 3; second++)
        {
            Write(recorder, second * 100, 100, TimeSpan.FromSeconds(1));
        }

        // The drain's tail: 20 rows in 20 ms would read as 1,000 rows/s.
        Write(recorder, 300, 20, TimeSpan.FromMilliseconds(20));

        LoadTestResult result = recorder.Result(new LoadProfile { Name = "r" }, DateTimeOffset.UnixEpoch);

        CollectionAssert.AreEqual(new[] { false, false, false, true }, result.Intervals.Select(i => i.Partial).ToArray());
        Assert.AreEqual(100, result.Summary.AchievedRowsPerSecond, 1e-6);
        Assert.AreEqual(100, result.Summary.PeakAchievedRowsPerSecond, 1e-6);
        Assert.AreEqual(320, result.Summary.WrittenRows, "the partial interval's rows still count as written");
        Assert.AreEqual(320, result.Intervals.Sum(i => i.KeyRangeWrites.Sum()));
        Assert.AreEqual(3.02, result.Summary.DurationSeconds, 1e-9);
        Assert.HasCount(3, result.FullIntervals());
    }

    [TestMethod]
    public void Result_LateCloseLeavesTheNextIntervalShort_FlagsThatOne()
    {
        using LoadRecorder recorder = Recorder(rate: 100, seconds: 3);
        recorder.Start();
        Write(recorder, 0, 170, TimeSpan.FromSeconds(1.7));
        Write(recorder, 170, 30, TimeSpan.FromSeconds(0.3));
        Write(recorder, 200, 100, TimeSpan.FromSeconds(1));

        LoadTestResult result = recorder.Result(new LoadProfile { Name = "r" }, DateTimeOffset.UnixEpoch);

        CollectionAssert.AreEqual(new[] { false, true, false }, result.Intervals.Select(i => i.Partial).ToArray());
    }

    [TestMethod]
    public void Result_BurstInTheWarmup_IsNotThePeak()
    {
        using LoadRecorder recorder = Recorder(rate: 100, seconds: 3, new LoadMeasure { Warmup = TimeSpan.FromSeconds(1) });
        recorder.Start();
        Write(recorder, 0, 250, TimeSpan.FromSeconds(1));
        Write(recorder, 250, 100, TimeSpan.FromSeconds(1));
        Write(recorder, 350, 120, TimeSpan.FromSeconds(1));

        LoadTestResult result = recorder.Result(new LoadProfile { Name = "r" }, DateTimeOffset.UnixEpoch);

        Assert.AreEqual(120, result.Summary.PeakAchievedRowsPerSecond, 1e-6);
    }

    [TestMethod]
    public void ToJson_PartialInterval_IsTheOnlyOneFlaggedAndReadsBack()
    {
        using LoadRecorder recorder = Recorder(rate: 100, seconds: 2);
        recorder.Start();
        Write(recorder, 0, 100, TimeSpan.FromSeconds(1));
        Write(recorder, 100, 100, TimeSpan.FromSeconds(1));
        Write(recorder, 200, 5, TimeSpan.FromMilliseconds(50));

        string json = recorder.Result(new LoadProfile { Name = "r" }, DateTimeOffset.UnixEpoch).ToJson();

        Assert.AreEqual(1, json.Split("\"partial\": true").Length - 1, json);
        Assert.DoesNotContain("\"partial\": false", json);
        Assert.IsTrue(LoadTestResult.FromJson(json).Intervals[^1].Partial);
    }

    [TestMethod]
    public void Result_RunShorterThanOneInterval_KeepsItsOnlyInterval()
    {
        using LoadRecorder recorder = Recorder(rate: 100, seconds: 1);
        recorder.Start();
        Write(recorder, 0, 40, TimeSpan.FromSeconds(0.4));

        LoadTestResult result = recorder.Result(new LoadProfile { Name = "r" }, DateTimeOffset.UnixEpoch);

        Assert.IsFalse(result.Intervals.Single().Partial);
        Assert.AreEqual(100, result.Summary.PeakAchievedRowsPerSecond, 1e-6);
    }

    private LoadRecorder Recorder(double rate, int seconds, LoadMeasure? measure = null)
    {
        var profile = new LoadProfile { Name = "r", Keys = new LoadKeys { KeySpace = 1000 } };
        var schedule = new RateSchedule([new LoadStage(TimeSpan.FromSeconds(seconds), rate, rate)]);
        var recorder = new LoadRecorder(schedule, LoadPlan.EvenRanges(profile), measure ?? new LoadMeasure(), _time);
        recorder.UseProcessProbe(() => (TimeSpan.Zero, 1_000_000));
        return recorder;
    }

    /// <summary>Rows <paramref name="first"/> on, admitted and written, then the interval closed <paramref name="length"/> later.</summary>
    private void Write(LoadRecorder recorder, long first, int count, TimeSpan length)
    {
        SyntheticSource rows = LoadPlan.Rows(new LoadProfile { Name = "r", Keys = new LoadKeys { KeySpace = 1000 } }, 10_000);
        recorder.Admit(rows.Read(first, count), 0, first);
        _time.Advance(length / 2);
        recorder.Complete([new SourceRange(0, first, first + count, new RowStats(count, count, 0, 0, 0, 0, 0, 0, 0))]);
        _time.Advance(length / 2);
        recorder.CloseInterval();
    }
}
