using StreamingFeatures.Cli.LoadTest;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Tests.Cli.LoadTest;

[TestClass]
public sealed class LoadTestReportTests
{
    [TestMethod]
    public void Html_WithoutABaseline_SaysNothingOfOne()
    {
        string html = LoadTestReport.Html(ReportRuns.Run(warmup: 1, achieved: [2_000, 2_000]), comparison: null, charts: []);

        Assert.DoesNotContain("baseline", html.ToLowerInvariant());
        Assert.DoesNotContain("compared", html.ToLowerInvariant());
    }

    [TestMethod]
    public void Html_WithABaseline_ShowsTheComparison()
    {
        LoadTestResult run = ReportRuns.Run(warmup: 1, achieved: [2_000, 2_000]);

        string html = LoadTestReport.Html(run, LoadComparison.Compare(run, run, 0.1, 0.25), charts: []);

        Assert.Contains("Against the baseline", html);
    }

    [TestMethod]
    public void Html_Hotspot_IsDrawnPixelated()
    {
        string html = LoadTestReport.Html(ReportRuns.Run(warmup: 0, achieved: [2_000]), comparison: null, charts: [("hotspot", "Write load", "<svg></svg>")]);

        Assert.Contains("#hotspot svg{image-rendering:pixelated}", html);
        Assert.Contains("<figure id=\"hotspot\">", html);
    }

    [TestMethod]
    public void Html_PartialInterval_IsNamedInTheSummary()
    {
        string html = LoadTestReport.Html(ReportRuns.Run(warmup: 0, achieved: [2_000, 2_000], partialTail: true), comparison: null, charts: []);

        Assert.Contains("2 of 3 (1 partial", html);
    }
}
