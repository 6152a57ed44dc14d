using StreamingFeatures.FeatureSets;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Tests.LoadTesting;

/// <summary><c>loadtest --duration-scale</c>: every span of the profile scaled, the rates kept.</summary>
[TestClass]
public sealed class LoadProfileScalingTests
{
    [TestMethod]
    public void ScaleDurations_Spike_EverySpanAndWarmupScaledRatesKept()
    {
        LoadProfile profile = LoadProfileLoader.Parse(
            """
            name: spike
            shape: { kind: spike, rate: 1000, spikeRate: 5000, duration: 60s, spikeAt: 20s, spikeDuration: 10s }
            measure: { warmup: 5s }
            """,
            FeatureSetFormat.Yaml);

        IReadOnlyList<string> problems = profile.ScaleDurations(0.1);

        Assert.IsEmpty(problems);
        CollectionAssert.AreEqual(
            new[] { new LoadStage(TimeSpan.FromSeconds(2), 1000, 1000), new LoadStage(TimeSpan.FromSeconds(1), 5000, 5000), new LoadStage(TimeSpan.FromSeconds(3), 1000, 1000) },
            profile.Shape.ToStages().ToArray());
        Assert.AreEqual(TimeSpan.FromMilliseconds(500), profile.Measure.Warmup);
        Assert.AreEqual(10_000, RateSchedule.For(profile).TotalRows, "a tenth of the 100,000 rows, at the same rates");
    }

    [TestMethod]
    public void ScaleDurations_Stages_EachStageScaled()
    {
        LoadProfile profile = LoadProfileLoader.Parse(
            """
            name: stages
            shape: { kind: stages, stages: [{ duration: 10s, rate: 100 }, { duration: 20s, rate: 200, to: 400 }] }
            """,
            FeatureSetFormat.Yaml);

        Assert.IsEmpty(profile.ScaleDurations(0.5));

        CollectionAssert.AreEqual(new[] { TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10) }, profile.Shape.ToStages().Select(s => s.Duration).ToArray());
        Assert.AreEqual(400, profile.Shape.ToStages()[1].ToRate);
    }

    [TestMethod]
    public void ScaleDurations_ShapeBelowItsLimits_ProblemNamesTheSetting()
    {
        LoadProfile profile = LoadProfileLoader.Parse("name: short\nshape: { kind: steady, rate: 10, duration: 2s }\n", FeatureSetFormat.Yaml);

        IReadOnlyList<string> problems = profile.ScaleDurations(0.001);

        Assert.IsNotEmpty(problems, "2 ms is shorter than a shape may be");
        StringAssert.Contains(problems[0], "shape.duration");
    }
}
