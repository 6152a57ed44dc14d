using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamingFeatures.Cli.Ingest;
using StreamingFeatures.Cli.Ingest.Health;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary>
/// The service on an in-process host against the fixture's emulators, with a stand-in source: a stop drains, closes
/// the source after every written row was reported done, and exits 0; a source fault closes (nacks) and stops the
/// host with exit 1; a missing table that may not be created exits 2 with nothing pulled.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class IngestWorkerTests
{
    private const long Rows = 5_000;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Stop_AfterRowsWritten_DrainsClosesAndExitsZero()
    {
        var source = new RowsIngestSource(Rows);
        var table = new TargetTable(EmulatorFixture.UniqueName("wk"));
        await using WebApplication app = Build(source, table);
        await app.StartAsync(Cancellation);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        await WaitUntilAsync(() => Task.FromResult(source.Done == Rows), "every row reported written");
        await WaitUntilAsync(async () => (await http.GetAsync(HealthEndpoints.ReadyPath, Cancellation)).StatusCode == HttpStatusCode.OK, "readiness");
        await app.StopAsync(Cancellation);

        IngestState state = app.Services.GetRequiredService<IngestState>();
        Assert.AreEqual(IngestPhase.Stopped, state.Phase);
        Assert.AreEqual(0, state.ExitCode);
        Assert.AreEqual(Rows, source.DoneAtClose, "the source is closed after the drain, with every row acked");
        Assert.AreEqual(Rows, await table.CountRowsAsync(Cancellation));
    }

    [TestMethod]
    public async Task SourceFault_ClosesSourceAndStopsHostWithExitOne()
    {
        var source = new RowsIngestSource(Rows, failAfterSending: true);
        var table = new TargetTable(EmulatorFixture.UniqueName("wkf"));
        await using WebApplication app = Build(source, table);
        IngestState state = app.Services.GetRequiredService<IngestState>();
        IngestPhase? phaseAtClose = null;
        source.Closing = () => phaseAtClose = state.Phase;
        await app.StartAsync(Cancellation);

        await WaitForHostToStopAsync(app);

        Assert.AreEqual(IngestPhase.Stopped, state.Phase);
        Assert.AreEqual(1, state.ExitCode);
        Assert.AreEqual(IngestPhase.Stopping, phaseAtClose, "not ready while the source closes");
        Assert.AreNotEqual(-1, source.DoneAtClose, "outstanding messages are nacked by closing the source");
    }

    [TestMethod]
    public async Task NoCreateAndNoTable_ExitsTwoWithNothingPulled()
    {
        var source = new RowsIngestSource(Rows);
        var table = new TargetTable(EmulatorFixture.UniqueName("wkn"));
        await using WebApplication app = Build(source, table, noCreate: true);
        await app.StartAsync(Cancellation);

        await WaitForHostToStopAsync(app);

        Assert.AreEqual(2, app.Services.GetRequiredService<IngestState>().ExitCode);
        Assert.AreEqual(0, source.Runs);
    }

    private static WebApplication Build(RowsIngestSource source, TargetTable table, bool noCreate = false)
    {
        var settings = new IngestSettings
        {
            Local = true,
            HttpPort = 0,
            NoCreate = noCreate,
            ProbeInterval = TimeSpan.FromSeconds(1),
            ShutdownTimeout = TimeSpan.FromSeconds(20),
            Subscription = $"projects/local/subscriptions/{EmulatorFixture.UniqueName("wk")}",
            Topic = $"projects/local/topics/{EmulatorFixture.UniqueName("wk")}",
        };
        return IngestHost.Build(settings, source.FeatureSet(table.Id), configure: services =>
        {
            services.AddSingleton<IngestSourceFactory>((_, _, _, _) => source);
            services.AddSingleton<IngestConnector>((s, cancellationToken) =>
                IngestConnections.OpenEmulatorsAsync(s, EmulatorFixture.PubSub.Endpoint, EmulatorFixture.Bigtable.Endpoint, cancellationToken));
        });
    }

    private async Task WaitForHostToStopAsync(WebApplication app)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        await app.WaitForShutdownAsync(limit.Token);
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                Assert.Fail($"No {what} within 60 s.");
            }

            await Task.Delay(100, Cancellation);
        }
    }
}
