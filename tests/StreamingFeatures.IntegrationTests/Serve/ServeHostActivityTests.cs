using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Serve;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.IntegrationTests.Serving;
using V1 = StreamingFeatures.Serving.V1;

namespace StreamingFeatures.IntegrationTests.Serve;

/// <summary>
/// Serve exports no traces: a request must not start an Activity, which costs CPU per request in the host and, as a
/// parent, makes the Bigtable client start two more per ReadRows and send a traceparent (perf/README.md, serve).
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ServeHostActivityTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Requests_OverGrpcAndHttp_RunWithoutAnActivity()
    {
        var seen = new List<Activity?>();
        using BigtableConnection connection = await BigtableConnection.ConnectAsync(new BigtableConnectionOptions
        {
            EmulatorHost = EmulatorFixture.Bigtable.Endpoint,
            Project = EmulatorFixture.Project,
            Instance = EmulatorFixture.Instance,
        });
        int http = ServeSettings.Resolve(0);
        int grpc = ServeSettings.Resolve(0);
        var settings = new ServeSettings { FeatureSetFiles = [], Local = true };
        await using WebApplication app = ServeHost.Build(
            settings, [FeatureReaderEmulatorTests.AllTypes("activity", NullHandling.Skip)], connection, http, grpc, services => services.AddSingleton<IStartupFilter>(new ActivityProbe(seen)));
        await app.StartAsync(TestContext.CancellationToken);
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{grpc}");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };

        await new V1.FeatureService.FeatureServiceClient(channel).ListFeatureSetsAsync(new V1.ListFeatureSetsRequest(), cancellationToken: TestContext.CancellationToken);
        using HttpResponseMessage ready = await client.GetAsync(new Uri(ServeReadinessCheck.ReadyPath, UriKind.Relative), TestContext.CancellationToken);

        Assert.IsTrue(ready.IsSuccessStatusCode, $"ready answered {ready.StatusCode}");
        Assert.HasCount(2, seen);
        Assert.IsTrue(seen.All(activity => activity is null), $"a request ran under Activity '{seen.FirstOrDefault(a => a is not null)?.OperationName}'");
        Assert.IsFalse(
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(ServeHost.HostingDiagnosticsCategory).IsEnabled(LogLevel.Critical),
            "the hosting diagnostics category is what makes ASP.NET Core start an Activity per request");
        await app.StopAsync(TestContext.CancellationToken);
    }

    /// <summary>Records <see cref="Activity.Current"/> at the start of every request, before the host's middleware.</summary>
    private sealed class ActivityProbe(List<Activity?> seen) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                lock (seen)
                {
                    seen.Add(Activity.Current);
                }

                await following(context).ConfigureAwait(false);
            });
            next(app);
        };
    }
}
