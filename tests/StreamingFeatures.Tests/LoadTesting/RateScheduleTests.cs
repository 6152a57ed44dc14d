using System.Threading.Tasks.Dataflow;
using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.LoadTesting;
using StreamingFeatures.Sources;

namespace StreamingFeatures.Tests.LoadTesting;

[TestClass]
public sealed class RateScheduleTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ToStages_TenStepRamp_IsAStaircaseOfEqualStages()
    {
        var shape = new LoadShape { Kind = LoadShapeKind.Ramp, From = 1000, To = 10_000, Steps = 10, Duration = TimeSpan.FromSeconds(10) };

        IReadOnlyList<LoadStage> stages = shape.ToStages();

        Assert.HasCount(10, stages);
        CollectionAssert.AreEqual(Enumerable.Range(1, 10).Select(i => i * 1000.0).ToArray(), stages.Select(s => s.FromRate).ToArray());
        Assert.IsTrue(stages.All(s => s.Duration == TimeSpan.FromSeconds(1) && s.FromRate == s.ToRate));
    }

    [TestMethod]
    public void ToStages_Spike_BaseBurstBase()
    {
        var shape = new LoadShape { Kind = LoadShapeKind.Spike, Rate = 100, SpikeRate = 900, SpikeAt = TimeSpan.FromSeconds(2), SpikeDuration = TimeSpan.FromSeconds(1), Duration = TimeSpan.FromSeconds(6) };

        CollectionAssert.AreEqual(
            new[] { new LoadStage(TimeSpan.FromSeconds(2), 100, 100), new LoadStage(TimeSpan.FromSeconds(1), 900, 900), new LoadStage(TimeSpan.FromSeconds(3), 100, 100) },
            shape.ToStages().ToArray());
    }

    [TestMethod]
    public void PlannedCount_LinearRamp_IsTheIntegralOfTheRate()
    {
        var schedule = new RateSchedule([new LoadStage(TimeSpan.FromSeconds(10), 0, 1000)]);

        Assert.AreEqual(5000, schedule.TotalRows);
        Assert.AreEqual(50 * 4.0, schedule.PlannedCount(TimeSpan.FromSeconds(2)), 1e-6);
        Assert.AreEqual(500, schedule.RateAt(TimeSpan.FromSeconds(5)), 1e-9);
    }

    [TestMethod]
    public void DueAt_InvertsPlannedCount_OnEveryKindOfStage()
    {
        var schedule = new RateSchedule(
        [
            new LoadStage(TimeSpan.FromSeconds(2), 0, 1000),
            new LoadStage(TimeSpan.FromSeconds(1), 0, 0),
            new LoadStage(TimeSpan.FromSeconds(3), 500, 500),
            new LoadStage(TimeSpan.FromSeconds(2), 800, 100),
        ]);

        for (long row = 0; row < schedule.TotalRows; row += 37)
        {
            TimeSpan due = schedule.DueAt(row);
            Assert.AreEqual(row + 1, schedule.PlannedCount(due), 1e-3, $"row {row} due at {due}");
            Assert.AreEqual(row + 1, schedule.Due(due), $"row {row} is due at its time");
            Assert.AreEqual(row, schedule.Due(due - TimeSpan.FromMilliseconds(0.5)), $"row {row} is not due before its time");
        }

        Assert.AreEqual(2, new RateSchedule([new LoadStage(TimeSpan.FromSeconds(1), 500, 500)]).DueAt(0).TotalMilliseconds, 1e-3);
    }

    [TestMethod]
    public async Task ScheduledSource_TenStageRampOnVirtualTime_OffersThePlannedCountsWithinTwoPercent()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var profile = new LoadProfile { Name = "ramp", Shape = new LoadShape { Kind = LoadShapeKind.Ramp, From = 500, To = 5000, Steps = 10, Duration = TimeSpan.FromSeconds(10) } };
        var schedule = RateSchedule.For(profile);
        using var recorder = new LoadRecorder(schedule, LoadPlan.EvenRanges(profile), profile.Measure, time);
        long received = 0;
        var target = new ActionBlock<SourceChunk>(chunk => Interlocked.Add(ref received, chunk.RowCount));
        var source = new ScheduledSource(LoadPlan.Rows(profile, schedule.TotalRows), recorder);

        recorder.Start();
        Task run = source.RunAsync(target, TestContext.CancellationToken);
        long[] perStage = new long[10];
        long before = 0;
        for (int step = 1; step <= 1000; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            long due = schedule.Due(recorder.Elapsed);
            Assert.IsTrue(SpinWait.SpinUntil(() => recorder.Offered >= due || run.IsCompleted, TimeSpan.FromSeconds(10)), $"the source did not offer the {due} rows due at {recorder.Elapsed}");
            perStage[(step - 1) / 100] += recorder.Offered - before;
            before = recorder.Offered;
        }

        await run;
        target.Complete();
        await target.Completion;
        for (int i = 0; i < 10; i++)
        {
            double planned = schedule.Stages[i].FromRate * schedule.Stages[i].Duration.TotalSeconds;
            Assert.AreEqual(planned, perStage[i], planned * 0.02, $"stage {i}");
        }

        Assert.AreEqual(schedule.TotalRows, Interlocked.Read(ref received));
        Assert.AreEqual(27_500, schedule.TotalRows);
    }
}
