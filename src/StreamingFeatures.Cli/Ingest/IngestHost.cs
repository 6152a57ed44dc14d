using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamingFeatures.Cli.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using StreamingFeatures.Cli.Ingest.Health;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>
/// The ingest service's Generic Host: Kestrel for <c>/healthz/live</c>, <c>/healthz/ready</c> and <c>/metrics</c>,
/// JSON console logs, OpenTelemetry metrics (Prometheus, optionally OTLP), the Bigtable probe, the summary log and
/// the worker. Built from an empty builder, so nothing but these settings configures it (no appsettings.json, no
/// ASPNETCORE_URLS).
/// </summary>
internal static partial class IngestHost
{
    public const string ServiceName = "streamingfeatures-ingest";

    /// <summary>The category of the command's own log lines (warnings about the settings, a failed start).</summary>
    public const string LoggerName = "StreamingFeatures.Ingest";

    /// <summary>The Generic Host's category: it logs a failed start with the exception's stack trace.</summary>
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The host for <paramref name="settings"/>; <paramref name="configuration"/> gives the <c>Logging</c> section.</summary>
    /// <remarks>
    /// Tests pass <c>runWorker: false</c> and replace services with <c>configure</c> (fakes, a fake clock). While
    /// <paramref name="startup"/> is starting, the host's own errors are not logged: the command reports a port that
    /// cannot be bound in one line, and logs any other failure itself.
    /// </remarks>
    public static WebApplication Build(IngestSettings settings, FeatureSetOptions featureSet, IConfiguration? configuration = null, bool runWorker = true, Action<IServiceCollection>? configure = null, HostStartup? startup = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(featureSet);
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = ServiceName });
        if (configuration is not null)
        {
            builder.Configuration.AddConfiguration(configuration);
        }

        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            // Local mode stays on loopback; in a pod the kubelet and Prometheus reach the pod's address.
            if (settings.Local)
            {
                kestrel.Listen(IPAddress.Loopback, settings.HttpPort);
            }
            else
            {
                kestrel.ListenAnyIP(settings.HttpPort);
            }
        });
        ConfigureLogging(builder.Logging, builder.Configuration, startup, settings.LogFormat ?? LogFormats.Default);

        IServiceCollection services = builder.Services;
        services.Configure<HostOptions>(host => host.ShutdownTimeout = settings.ShutdownTimeout);
        services.AddSingleton(settings);
        services.AddSingleton(featureSet);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IngestState>();
        services.AddMetrics();
        services.AddSingleton(provider => new PipelineMetrics(provider.GetRequiredService<IMeterFactory>()));
        services.AddSingleton(provider => PubSubIngestSource.Factory(provider.GetRequiredService<ILoggerFactory>().CreateLogger("StreamingFeatures.PubSub")));
        services.AddSingleton<IngestConnector>(IngestConnections.OpenAsync);
        services.AddIngestHealthChecks();
        services.AddSingleton<SummaryLogger>();
        services.AddHostedService(provider => provider.GetRequiredService<SummaryLogger>());
        if (runWorker)
        {
            services.AddHostedService<IngestWorker>();
        }

        AddMetrics(services, settings);
        configure?.Invoke(services);

        WebApplication app = builder.Build();
        app.UseIngestHealthChecks();
        app.UseOpenTelemetryPrometheusScrapingEndpoint();
        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, IConfiguration configuration, HostStartup? startup, LogFormat format)
    {
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter(HostCategory, level => level >= LogLevel.Information && (startup is null || !startup.Starting || level < LogLevel.Error));
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // It logs an error per unhealthy check on every probe; ReadinessTransitions logs the changes instead.
        logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        logging.AddConfiguration(configuration.GetSection(IngestConfiguration.LoggingSection));
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                json.JsonWriterOptions = new JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            logging.AddSimpleConsole(simple =>
            {
                simple.SingleLine = true;
                simple.UseUtcTimestamp = true;
                simple.TimestampFormat = "HH:mm:ss ";
            });
        }
    }

    private static void AddMetrics(IServiceCollection services, IngestSettings settings)
    {
        Uri? otlp = settings.OtlpEndpoint;
        bool otlpFromEnvironment = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable));
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                // The pipeline's instruments, and the runtime's own (GC, thread pool, CPU, working set): no extra package.
                metrics.AddMeter(TelemetryNames.Meter, "System.Runtime");
                metrics.AddPrometheusExporter();
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(exporter => exporter.Endpoint = otlp);
                }
                else if (otlpFromEnvironment)
                {
                    metrics.AddOtlpExporter();
                }
            });
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "{Warning}")]
    public static partial void IgnoredVariables(ILogger logger, string warning);

    [LoggerMessage(EventId = 31, Level = LogLevel.Critical, Message = "The service failed to start")]
    public static partial void StartFailed(ILogger logger, Exception exception);
}
