using System.Text.Json;
using Microsoft.Playwright;

namespace StreamingFeatures.IntegrationTests.Cli.LoadTest;

/// <summary>
/// The HTML report of a real short run, opened in a real browser (Debian's Chromium, headless): every chart is there,
/// every image decodes, nothing fails and nothing is logged as an error. A screenshot of the page is kept with the
/// test results.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class LoadTestReportBrowserTests
{
    private static readonly string[] Charts = ["throughput", "latency", "latency-distribution", "queues", "hotspot", "resources"];

    // Each <img>, and each bitmap inside the inline SVG charts (the heatmap's cells, the colour bar), decoded the way
    // the page decodes it.
    private const string ImagesScript = """
        async () => {
          const images = [];
          for (const img of document.images) {
            await img.decode().catch(() => {});
            images.push({ kind: 'img', source: img.currentSrc.slice(0, 80), width: img.naturalWidth });
          }
          for (const image of document.querySelectorAll('svg image')) {
            const href = image.getAttribute('href') ?? image.getAttributeNS('http://www.w3.org/1999/xlink', 'href') ?? '';
            const probe = new Image();
            probe.src = href;
            await probe.decode().catch(() => {});
            images.push({ kind: 'svg image', source: href.slice(0, 80), width: probe.naturalWidth });
          }
          return images;
        }
        """;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(300_000)] // The run has its own 3 min limit and each browser step 60 s: this only stops a hang.
    public async Task ReportHtml_OpenedInChromium_ShowsEveryChartWithoutErrors()
    {
        // Before the run: a machine without the browser fails at once, naming the script that installs it.
        _ = SystemChromium.Find();
        using var workspace = LoadTestWorkspace.Create("browser");
        workspace.Write("browser.yaml", """
            name: it-browser
            shape: { kind: steady, rate: 1000, duration: 4s }
            keys: { distribution: uniform, keySpace: 100000 }
            measure: { keyRanges: 8, warmup: 1s }
            """);
        CliResult run = await workspace.RunAsync(["loadtest", "--profile", "browser.yaml", "--output", "out", "--quiet"], LoadTestWorkspace.SharedBigtable, TestContext.CancellationToken);
        Assert.AreEqual(0, run.Code, run.Output);

        await using SystemChromium chromium = await SystemChromium.LaunchAsync();
        IPage page = chromium.Context.Pages.Count > 0 ? chromium.Context.Pages[0] : await chromium.Context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add("page error: " + error);
        page.RequestFailed += (_, request) => problems.Add($"request failed: {request.Url} ({request.Failure})");

        string report = workspace.PathOf("out/report.html");
        IResponse? response = await page.GotoAsync(new Uri(report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.IsNotNull(response, "the report opened");
        Assert.IsTrue(response.Ok, $"the report opened: {response.Status}");

        // With the test results: under Microsoft.Testing.Platform, TestResultsDirectory is the test's output folder.
        string shots = Directory.CreateDirectory(Path.Combine(TestContext.TestResultsDirectory ?? Path.GetTempPath(), "loadtest-report")).FullName;
        string wholePage = Path.Combine(shots, "report.png");
        string heatmap = Path.Combine(shots, "hotspot.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = wholePage, FullPage = true });
        await page.Locator("#hotspot").ScreenshotAsync(new LocatorScreenshotOptions { Path = heatmap });
        TestContext.AddResultFile(wholePage);
        TestContext.AddResultFile(heatmap);
        TestContext.WriteLine("Screenshots: " + shots);

        JsonElement images = await page.EvaluateAsync<JsonElement>(ImagesScript);
        Assert.IsGreaterThanOrEqualTo(2, images.GetArrayLength(), "the heatmap's cells and its colour bar at least: " + images);
        foreach (JsonElement image in images.EnumerateArray())
        {
            Assert.IsGreaterThan(0, image.GetProperty("width").GetDouble(), $"a broken {image.GetProperty("kind")}: {image.GetProperty("source")}");
        }

        foreach (string chart in Charts)
        {
            ILocator svg = page.Locator($"figure#{chart} > svg");
            Assert.AreEqual(1, await svg.CountAsync(), chart);
            LocatorBoundingBoxResult? box = await svg.BoundingBoxAsync();
            Assert.IsTrue(box is { Width: > 100, Height: > 100 }, $"{chart} is drawn: {box?.Width} x {box?.Height}");
        }

        Assert.AreEqual("pixelated", await page.EvalOnSelectorAsync<string>("#hotspot svg", "svg => getComputedStyle(svg).imageRendering"));
        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems));
    }
}
