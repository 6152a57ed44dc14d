using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Serve.Feast;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Resilience;
using StreamingFeatures.Serving;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Cli.Serve;

/// <summary>
/// The serve command's Generic Host: Kestrel with HTTP/1.1 on <c>--port</c> (REST by JSON transcoding,
/// <c>/healthz/*</c>, <c>/metrics</c>) and cleartext HTTP/2 on <c>--grpc-port</c> (gRPC), the <c>FeatureService</c>
/// over one reader per feature set, OpenTelemetry metrics. Built from an empty builder, like ingest's: only these
/// settings configure it (no appsettings.json, no ASPNETCORE_URLS).
/// </summary>
internal static class ServeHost
{
    public const string ServiceName = "streamingfeatures-serve";

    /// <summary>The log category of ASP.NET Core's per-request diagnostics (request start and end, at Information).</summary>
    public const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>The host; <paramref name="httpPort"/> and <paramref name="grpcPort"/> are the resolved ports (not 0).</summary>
    public static WebApplication Build(ServeSettings settings, IReadOnlyList<FeatureSetOptions> featureSets, BigtableConnection connection, int httpPort, int grpcPort, Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = ServiceName });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Local mode stays on loopback; in a pod, the Service, the kubelet and Prometheus reach the pod's address.
            Listen(kestrel, settings.Local, httpPort, HttpProtocols.Http1);
            Listen(kestrel, settings.Local, grpcPort, HttpProtocols.Http2);
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            // Hosting starts an Activity for every request while this category logs at any level (for log scopes);
            // under it the Bigtable client starts two more per ReadRows and sends a traceparent header. Serve exports
            // no traces and logs no scopes: measured as a few percent of its CPU per 1-key read (perf/README.md).
            .AddFilter(HostingDiagnosticsCategory, LogLevel.None)
            .AddFilter("Grpc.AspNetCore", LogLevel.Warning)
            .AddSimpleConsole(simple =>
            {
                simple.SingleLine = true;
                simple.UseUtcTimestamp = true;
                simple.TimestampFormat = "HH:mm:ss ";
            });

        IServiceCollection services = builder.Services;
        services.Configure<HostOptions>(host => host.ShutdownTimeout = settings.DrainTimeout);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ServeState>();
        services.AddMetrics();
        services.AddSingleton(provider => new ServingMetrics(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        FeatureReaderOptions readerOptions = ReaderOptions(settings);
        services.AddSingleton(provider => ServedFeatureSets.Create(connection, featureSets, readerOptions, provider.GetRequiredService<ServingMetrics>(), provider.GetRequiredService<TimeProvider>()));
        // int64 as JSON strings, as the proto3 JSON mapping says: a JavaScript number loses digits past 2^53.
        services.AddGrpc().AddJsonTranscoding(json => json.JsonSettings.WriteInt64sAsStrings = true);
        services.AddHealthChecks().AddCheck<ServeReadinessCheck>("serving", tags: [ServeReadinessCheck.Tag]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics.AddMeter(TelemetryNames.Meter, "System.Runtime", "Microsoft.AspNetCore.Hosting").AddPrometheusExporter());
        configure?.Invoke(services);

        WebApplication app = builder.Build();
        ServeState state = app.Services.GetRequiredService<ServeState>();
        app.Lifetime.ApplicationStopping.Register(state.Stopping);
        // Every request is counted (gRPC, REST, Feast), so a stop knows what the drain left unanswered.
        app.Use(async (context, next) =>
        {
            ServeState.InFlight call = state.Begin();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                call.End(aborted: context.RequestAborted.IsCancellationRequested);
            }
        });
        app.UseRouting();
        app.UseOpenTelemetryPrometheusScrapingEndpoint();
        app.MapServeHealthChecks();
        app.MapGrpcService<FeatureGrpcService>();
        ServedFeatureSets sets = app.Services.GetRequiredService<ServedFeatureSets>();
        app.MapFeastEndpoints(sets.ReaderOf);
        return app;
    }

    /// <summary>
    /// The reader's options: the batch limit and deadline given; the retries give up just before the deadline, so a
    /// Bigtable that stays down answers UNAVAILABLE rather than DEADLINE_EXCEEDED.
    /// </summary>
    public static FeatureReaderOptions ReaderOptions(ServeSettings settings)
    {
        CallRetryOptions retry = FeatureReaderOptions.DefaultRetry;
        TimeSpan deadline = settings.Timeout < retry.Deadline ? settings.Timeout : retry.Deadline;
        return new FeatureReaderOptions
        {
            MaxBatchKeys = settings.MaxBatchKeys,
            Timeout = settings.Timeout,
            Retry = retry.WithDeadline(deadline < CallRetryLimits.Deadline.Min ? CallRetryLimits.Deadline.Min : deadline),
        };
    }

    private static void Listen(KestrelServerOptions kestrel, bool local, int port, HttpProtocols protocols)
    {
        if (local)
        {
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = protocols);
        }
        else
        {
            kestrel.ListenAnyIP(port, listen => listen.Protocols = protocols);
        }
    }
}
