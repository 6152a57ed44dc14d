namespace StreamingFeatures.IntegrationTests.Cli.LoadTest;

/// <summary>
/// <c>loadtest --dry-run</c> checks and connects, prints the plan and runs nothing; <c>--duration-scale</c> shortens
/// the plan; settings come from <c>--config</c> and <c>STREAMINGFEATURES_*</c> as for every command.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class LoadTestDryRunTests
{
    private const string Profile = """
        name: it-dry
        shape: { kind: steady, rate: 500, duration: 60s }
        keys: { distribution: uniform, keySpace: 1000 }
        measure: { warmup: 10s }
        """;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Loadtest_DryRunWithDurationScale_PrintsTheScaledPlanAndWritesNothing()
    {
        using var workspace = LoadTestWorkspace.Create("dryrun");
        workspace.Write("p.yaml", Profile);

        CliResult result = await workspace.RunAsync(["loadtest", "--profile", "p.yaml", "--output", "out", "--dry-run", "--duration-scale", "0.1"], LoadTestWorkspace.SharedBigtable, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        StringAssert.Contains(result.Output, "Dry run of load profile 'it-dry' (synthetic target): Bigtable emulator ");
        StringAssert.Contains(result.Output, "Plan: 3,000 rows over 6s (steady, 1 stage(s)), then up to 30s to drain; warm-up 1s,");
        Assert.DoesNotContain("Load test '", result.Output, "nothing ran");
        Assert.IsFalse(Directory.Exists(workspace.PathOf("out")), "no report folder");
    }

    [TestMethod]
    public async Task Loadtest_SettingsFromConfigFileAndEnvironment_FlagsWinAndBadValueNamesItsSource()
    {
        using var workspace = LoadTestWorkspace.Create("config");
        workspace.Write("p.yaml", Profile);
        workspace.Write("settings.yaml", "profile: p.yaml\ndry-run: true\nduration-scale: 0.5\n");
        var environment = new Dictionary<string, string>(LoadTestWorkspace.SharedBigtable) { ["STREAMINGFEATURES_DURATION_SCALE"] = "0.2" };

        CliResult fromEnvironment = await workspace.RunAsync(["loadtest", "--config", "settings.yaml"], environment, Cancellation);
        CliResult fromFlag = await workspace.RunAsync(["loadtest", "--config", "settings.yaml", "--duration-scale", "0.1"], environment, Cancellation);
        environment["STREAMINGFEATURES_DURATION_SCALE"] = "fast";
        CliResult bad = await workspace.RunAsync(["loadtest", "--config", "settings.yaml"], environment, Cancellation);

        Assert.AreEqual(0, fromEnvironment.Code, fromEnvironment.Output);
        StringAssert.Contains(fromEnvironment.Output, "Plan: 6,000 rows over 12s", "the variable over the file");
        Assert.AreEqual(0, fromFlag.Code, fromFlag.Output);
        StringAssert.Contains(fromFlag.Output, "Plan: 3,000 rows over 6s", "the flag over both");
        Assert.AreEqual(2, bad.Code, bad.Output);
        StringAssert.Contains(bad.Output, "error: --duration-scale is 'fast' (environment STREAMINGFEATURES_DURATIONSCALE); allowed: a number from 0.001 to 100");
    }
}
