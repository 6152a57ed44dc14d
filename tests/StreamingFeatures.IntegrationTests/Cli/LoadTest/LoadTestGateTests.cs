using StreamingFeatures.TestShared;

namespace StreamingFeatures.IntegrationTests.Cli.LoadTest;

/// <summary>The regression gate and the checks before a run, through the CLI: exit codes and what it prints.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class LoadTestGateTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Compare_EqualRun_PassesWithExitZero()
    {
        using var workspace = LoadTestWorkspace.Create("gate-equal");
        workspace.Write("base.json", SampleLoadResults.Result(5000, 40).ToJson());
        workspace.Write("run.json", SampleLoadResults.Result(5000, 40).ToJson());

        CliResult result = await workspace.RunAsync(["loadtest", "--compare", "run.json", "--baseline", "base.json"], null, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        StringAssert.Contains(result.Output, "Regression gate: passed.");
    }

    [TestMethod]
    [DataRow(4000.0, 40.0, "achieved rows/s")]
    [DataRow(5000.0, 80.0, "p99 latency ms")]
    public async Task Compare_InjectedRegression_ExitsFourWithSideBySideTable(double achieved, double p99, string regressed)
    {
        using var workspace = LoadTestWorkspace.Create("gate-regressed");
        workspace.Write("base.json", SampleLoadResults.Result(5000, 40).ToJson());
        workspace.Write("run.json", SampleLoadResults.Result(achieved, p99).ToJson());

        CliResult result = await workspace.RunAsync(["loadtest", "--compare", "run.json", "--baseline", "base.json"], null, Cancellation);

        Assert.AreEqual(4, result.Code, result.Output);
        StringAssert.Contains(result.Output, $"Regression gate: FAILED ({regressed})");
        string header = result.Output.Split('\n').Single(l => l.StartsWith("figure", StringComparison.Ordinal));
        StringAssert.Contains(header, "base.json");
        StringAssert.Contains(header, "run.json");
        StringAssert.Contains(result.Output, "REGRESSED");
    }

    [TestMethod]
    public async Task Compare_LooserLimitFromTheCommandLine_Passes()
    {
        using var workspace = LoadTestWorkspace.Create("gate-loose");
        workspace.Write("base.json", SampleLoadResults.Result(5000, 40).ToJson());
        workspace.Write("run.json", SampleLoadResults.Result(4000, 40).ToJson());

        CliResult result = await workspace.RunAsync(["loadtest", "--compare", "run.json", "--baseline", "base.json", "--max-throughput-drop", "0.25"], null, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
    }

    [TestMethod]
    public async Task Loadtest_RealProjectWithoutAllowCloud_IsRefusedBeforeAnythingStarts()
    {
        using var workspace = LoadTestWorkspace.Create("cloud");
        workspace.Write("p.yaml", "name: p\nshape: { kind: steady, rate: 10, duration: 1s }\n");

        CliResult result = await workspace.RunAsync(["loadtest", "--profile", "p.yaml", "--project", "my-prod", "--instance", "serving"], null, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, "--project my-prod names a real Google Cloud project");
        StringAssert.Contains(result.Output, "--allow-cloud");
    }

    [TestMethod]
    public async Task Loadtest_InvalidProfile_ExitsTwoNamingEveryProblem()
    {
        using var workspace = LoadTestWorkspace.Create("badprofile");
        workspace.Write("p.yaml", "name: p\nshape: { kind: ramp, to: -3, duration: 10s }\nkeys: { distribushun: zipf }\n");

        CliResult result = await workspace.RunAsync(["loadtest", "--profile", "p.yaml"], null, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, "shape.to is -3; allowed: 0 to 10000000 rows per second (at line 2");
        StringAssert.Contains(result.Output, "keys.distribushun is not a setting");
    }
}
