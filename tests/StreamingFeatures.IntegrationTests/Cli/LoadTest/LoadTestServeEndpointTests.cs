using System.Text.RegularExpressions;
using StreamingFeatures.IntegrationTests.Serve;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.IntegrationTests.Cli.LoadTest;

/// <summary>
/// <c>loadtest --serve-endpoint</c>: reads through a <c>streamingfeatures serve</c> process on the shared Bigtable
/// emulator, serving the feature set <c>--write-feature-set</c> wrote; an endpoint nobody listens on is errors.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed partial class LoadTestServeEndpointTests
{
    private const string Profile = """
        name: it-serve-endpoint
        target: serve
        shape: { kind: steady, rate: 500, duration: 2s }
        keys: { distribution: sequential, keySpace: 1000 }
        reads:
          shape: { kind: steady, rate: 40, duration: 2s }
          batchSize: 5
          keys: { distribution: uniform }
        """;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Loadtest_ServeEndpoint_ReadsThroughTheRunningServeAsPresent()
    {
        using var workspace = LoadTestWorkspace.Create("serve-endpoint");
        workspace.Write("reads.yaml", Profile);
        string table = $"lt-serve-{Guid.NewGuid():N}"[..20];
        CliResult written = await workspace.RunAsync(["loadtest", "--profile", "reads.yaml", "--table", table, "--write-feature-set", "served.json", "--dry-run"], LoadTestWorkspace.SharedBigtable, Cancellation);
        Assert.AreEqual(0, written.Code, written.Output);
        StringAssert.Contains(File.ReadAllText(workspace.PathOf("served.json")), $"\"table\": \"{table}\"");
        using CliProcess serve = CliProcess.Start(workspace.Directory, ["serve", "--feature-set", "served.json", "--port", "0", "--grpc-port", "0"], LoadTestWorkspace.SharedBigtable);
        await serve.WaitUntilAsync(() => Task.FromResult(serve.Output.Contains("Ready.", StringComparison.Ordinal)), "serve's ready line", TimeSpan.FromMinutes(1), Cancellation);
        Match grpc = GrpcAddress().Match(serve.Output);
        Assert.IsTrue(grpc.Success, serve.Output);

        CliResult result = await workspace.RunAsync(
            ["loadtest", "--profile", "reads.yaml", "--table", table, "--serve-endpoint", $"http://127.0.0.1:{grpc.Groups["port"].Value}", "--output", "out", "--quiet"],
            LoadTestWorkspace.SharedBigtable,
            Cancellation);
        await serve.TerminateAsync(Cancellation);
        CliResult stopped = await serve.WaitAsync(Cancellation, TimeSpan.FromSeconds(30));

        Assert.AreEqual(0, result.Code, result.Output);
        Assert.DoesNotContain("warning", result.Output, "the endpoint serves the run's feature set");
        ReadRun reads = LoadTestResult.FromJson(File.ReadAllText(workspace.PathOf("out/result.json"))).Reads ?? throw new AssertFailedException("the run reports its reads: " + result.Output);
        StringAssert.Contains(reads.Reader, "over gRPC");
        Assert.AreEqual(80, reads.PlannedRequests);
        Assert.AreEqual(80, reads.Requests, string.Join(", ", reads.Errors.Select(e => $"{e.Key} {e.Value}")));
        Assert.AreEqual(400, reads.Keys);
        Assert.IsGreaterThan(0, reads.Statuses["PRESENT"], "the loaded keys answer PRESENT through serve");
        Assert.AreEqual(reads.Keys * 8, reads.Statuses.Values.Sum(), "the profile's eight features of every key answered");
        Assert.AreEqual(0, stopped.Code, stopped.Output);
    }

    [TestMethod]
    public async Task Loadtest_UnreachableServeEndpoint_CountsEveryReadAsUnavailableWithAWarning()
    {
        using var workspace = LoadTestWorkspace.Create("serve-endpoint-down");
        workspace.Write("reads.yaml", Profile);
        string closed = ServedTables.ClosedEndpoint();

        CliResult result = await workspace.RunAsync(
            ["loadtest", "--profile", "reads.yaml", "--table", $"lt-down-{Guid.NewGuid():N}"[..20], "--serve-endpoint", $"http://{closed}", "--output", "out", "--quiet", "--log-format", "simple"],
            LoadTestWorkspace.SharedBigtable,
            Cancellation);

        Assert.AreEqual(0, result.Code, "the run finishes and reports: " + result.Output);
        StringAssert.Contains(result.Output, $"serve at http://{closed} over gRPC");
        StringAssert.Contains(result.Output, "did not answer ListFeatureSets: Unavailable");
        ReadRun reads = LoadTestResult.FromJson(File.ReadAllText(workspace.PathOf("out/result.json"))).Reads ?? throw new AssertFailedException("the run reports its reads: " + result.Output);
        Assert.AreEqual(0, reads.Requests);
        Assert.AreEqual(reads.PlannedRequests, reads.FailedRequests, result.Output);
        Assert.AreEqual(reads.PlannedRequests, reads.Errors["Unavailable"], string.Join(", ", reads.Errors.Select(e => $"{e.Key} {e.Value}")));
    }

    [GeneratedRegex(@"gRPC [^\s,]+:(?<port>\d+)")]
    private static partial Regex GrpcAddress();
}
