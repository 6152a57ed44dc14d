using System.Text.Json;
using StreamingFeatures.IntegrationTests.Cli.LoadTest;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary><c>--log-format json</c>: standard output is one JSON object per line, numbers as numbers.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class LogFormatJsonTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_LogFormatJson_EveryLineIsJsonWithPlanAndSummaryFigures()
    {
        await using var workspace = MigrationWorkspace.Create("jsonlines");

        CliResult result = await workspace.RunAsync(
            ["migrate", "--local", "--table", workspace.Table.Id, "--sample-rows", "5000", "--checkpoint", "none", "--log-format", "json"],
            MigrationWorkspace.SharedEmulator,
            Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        List<JsonDocument> lines = JsonLines(result.StandardOutput);
        JsonElement plan = lines.Single(l => l.RootElement.TryGetProperty("plan", out _)).RootElement.GetProperty("plan");
        Assert.AreEqual("full", plan.GetProperty("verify").GetString());
        JsonElement summary = lines.Single(l => l.RootElement.TryGetProperty("summary", out _)).RootElement.GetProperty("summary");
        Assert.AreEqual(5000, summary.GetProperty("rowsRead").GetInt64());
        Assert.AreEqual(5000, summary.GetProperty("rowsWritten").GetInt64());
    }

    [TestMethod]
    public async Task Loadtest_DryRunLogFormatJson_PlanIsOneJsonObject()
    {
        using var workspace = LoadTestWorkspace.Create("jsonplan");
        workspace.Write("p.yaml", "name: it-json\nshape: { kind: steady, rate: 100, duration: 10s }\n");

        CliResult result = await workspace.RunAsync(["loadtest", "--profile", "p.yaml", "--dry-run", "--log-format", "json"], LoadTestWorkspace.SharedBigtable, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        JsonElement plan = JsonLines(result.StandardOutput).Single().RootElement.GetProperty("plan");
        Assert.AreEqual(1000, plan.GetProperty("plannedRows").GetInt64());
        Assert.AreEqual(10, plan.GetProperty("duration").GetDouble(), "durations in seconds, as numbers");
    }

    private static List<JsonDocument> JsonLines(string output)
    {
        var lines = new List<JsonDocument>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                lines.Add(JsonDocument.Parse(line));
            }
            catch (JsonException e)
            {
                Assert.Fail($"not one JSON object per line: '{line}' ({e.Message})");
            }
        }

        return lines;
    }
}
