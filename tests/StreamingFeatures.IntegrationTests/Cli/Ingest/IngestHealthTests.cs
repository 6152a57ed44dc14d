using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StreamingFeatures.Cli.Ingest;
using StreamingFeatures.Cli.Ingest.Health;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary>
/// The service's HTTP endpoints on an in-process host (no worker): liveness never depends on Pub/Sub or Bigtable,
/// readiness fails while either is unreachable (faults a fake source and a failing probe stand in for), and
/// <c>/metrics</c> serves the pipeline's meter in Prometheus format.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class IngestHealthTests
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private IngestState _state = null!;
    private BigtableProbe _probe = null!;
    private FakeIngestSource _source = null!;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestInitialize]
    public async Task StartAsync()
    {
        var settings = new IngestSettings { HttpPort = 0, Local = true, ProbeInterval = TimeSpan.FromMinutes(5) };
        _app = IngestHost.Build(settings, StreamingFeatures.Cli.Migrate.SourceSpec.Sample(1).FeatureSet("features"), runWorker: false);
        await _app.StartAsync(Cancellation);
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
        _state = _app.Services.GetRequiredService<IngestState>();
        _probe = _app.Services.GetRequiredService<BigtableProbe>();
        _source = new FakeIngestSource();
    }

    [TestCleanup]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    [TestMethod]
    public async Task Live_DependenciesUnreachable_StillOk()
    {
        await ConnectAsync(_ => throw new RpcException(new Status(StatusCode.Unavailable, "connection refused")));
        _source.Status = _source.Status with { ConnectedStreams = 0 };

        (HttpStatusCode code, _) = await GetAsync(HealthEndpoints.LivePath);

        Assert.AreEqual(HttpStatusCode.OK, code);
    }

    [TestMethod]
    public async Task Ready_Starting_ServiceUnavailable()
    {
        (HttpStatusCode code, string body) = await GetAsync(HealthEndpoints.ReadyPath);

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, code, body);
        StringAssert.Contains(body, "starting");
        StringAssert.Contains(body, "not connected yet");
    }

    [TestMethod]
    public async Task Ready_BothReachable_Ok()
    {
        await ConnectAsync(_ => Task.CompletedTask);

        (HttpStatusCode code, string body) = await GetAsync(HealthEndpoints.ReadyPath);

        Assert.AreEqual(HttpStatusCode.OK, code, body);
        StringAssert.Contains(body, "2 streams connected");
    }

    [TestMethod]
    public async Task Ready_BigtableProbeFails_ServiceUnavailableNamingBigtable()
    {
        await ConnectAsync(_ => throw new RpcException(new Status(StatusCode.Unavailable, "connection refused")));

        (HttpStatusCode code, string body) = await GetAsync(HealthEndpoints.ReadyPath);

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, code, body);
        StringAssert.Contains(body, "Bigtable probe failed: Bigtable probe (ReadRows) gave up after ");
        StringAssert.Contains(body, "attempts: Unavailable: connection refused");
    }

    [TestMethod]
    public async Task Ready_BigtableRefusesForAMoment_ProbeRidesThroughAndStaysReady()
    {
        int attempts = 0;
        await ConnectAsync(_ => ++attempts <= 2 ? throw new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel.")) : Task.CompletedTask);

        (HttpStatusCode code, string body) = await GetAsync(HealthEndpoints.ReadyPath);

        Assert.AreEqual(HttpStatusCode.OK, code, body);
        Assert.IsGreaterThanOrEqualTo(3, attempts, "two refused attempts, then an answer (the background loop may probe too)");
    }

    [TestMethod]
    public async Task Ready_BigtableRecovers_OkAgain()
    {
        bool down = true;
        await ConnectAsync(_ => down ? throw new RpcException(new Status(StatusCode.Unavailable, "down")) : Task.CompletedTask);
        down = false;
        await _probe.ProbeOnceAsync(Cancellation);

        (HttpStatusCode code, string body) = await GetAsync(HealthEndpoints.ReadyPath);

        Assert.AreEqual(HttpStatusCode.OK, code, body);
    }

    [TestMethod]
    public async Task Ready_NoStreamConnected_ServiceUnavailableNamingPubSub()
    {
        await ConnectAsync(_ => Task.CompletedTask);
        _source.Status = _source.Status with { ConnectedStreams = 0, LastError = "Unavailable: DNS", LastErrorTime = DateTimeOffset.UtcNow.AddMinutes(-5) };

        (HttpStatusCode code, string body) = await GetAsync(HealthEndpoints.ReadyPath);

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, code, body);
        StringAssert.Contains(body, "no StreamingPull stream is connected");
        StringAssert.Contains(body, "Unavailable: DNS");
    }

    [TestMethod]
    public async Task Ready_RecentStreamError_ServiceUnavailable()
    {
        await ConnectAsync(_ => Task.CompletedTask);
        _source.Status = _source.Status with { LastError = "Unavailable: stream reset", LastErrorTime = DateTimeOffset.UtcNow.AddSeconds(-2) };

        (HttpStatusCode code, string body) = await GetAsync(HealthEndpoints.ReadyPath);

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, code, body);
        StringAssert.Contains(body, "stream reset");
    }

    [TestMethod]
    public async Task Ready_OldStreamError_Ok()
    {
        await ConnectAsync(_ => Task.CompletedTask);
        _source.Status = _source.Status with { LastError = "Unavailable: stream reset", LastErrorTime = DateTimeOffset.UtcNow - PubSubReadinessCheck.RecentErrorWindow - TimeSpan.FromSeconds(5) };

        (HttpStatusCode code, string body) = await GetAsync(HealthEndpoints.ReadyPath);

        Assert.AreEqual(HttpStatusCode.OK, code, body);
    }

    [TestMethod]
    public async Task Ready_Stopping_ServiceUnavailable()
    {
        await ConnectAsync(_ => Task.CompletedTask);
        _state.Stopping();

        (HttpStatusCode code, string body) = await GetAsync(HealthEndpoints.ReadyPath);

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, code, body);
        StringAssert.Contains(body, "stopping");
    }

    [TestMethod]
    public async Task Metrics_PipelineCounted_ScrapedInPrometheusFormat()
    {
        // Every pipeline in the process feeds the same meter name, so this one counts under a reason of its own.
        string reason = $"test_{Guid.NewGuid():N}";
        _app.Services.GetRequiredService<PipelineMetrics>().DeadLetters.Add(1234, new KeyValuePair<string, object?>("reason", reason));

        (HttpStatusCode code, string body) = await GetAsync("/metrics");

        Assert.AreEqual(HttpStatusCode.OK, code, body);
        StringAssert.Contains(body, $"streamingfeatures_dead_letters_total{{otel_scope_name=\"StreamingFeatures\",reason=\"{reason}\"}} 1234");
        StringAssert.Contains(body, "dotnet_process_cpu_time_seconds_total", "the runtime's own metrics too");
    }

    private async Task ConnectAsync(Func<CancellationToken, Task> bigtableProbe)
    {
        _state.Connected(bigtableProbe);
        _state.Running(_source);
        await _probe.ProbeOnceAsync(Cancellation);
    }

    private async Task<(HttpStatusCode Code, string Body)> GetAsync(string path)
    {
        using HttpResponseMessage response = await _http.GetAsync(path, Cancellation);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancellation));
    }
}
