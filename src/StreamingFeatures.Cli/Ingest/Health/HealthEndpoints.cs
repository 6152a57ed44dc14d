using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StreamingFeatures.Cli.Ingest.Health;

/// <summary>
/// <c>/healthz/live</c>: 200 while the process answers (no dependency is checked, so a Bigtable outage never gets
/// pods restarted). <c>/healthz/ready</c>: 200 only while Pub/Sub and Bigtable are reachable, else 503; both answer
/// JSON with each check's status and reason.
/// </summary>
internal static class HealthEndpoints
{
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";
    public const string ReadyTag = "ready";

    public static void AddIngestHealthChecks(this IServiceCollection services)
    {
        services.AddSingleton<BigtableProbe>();
        services.AddSingleton<ReadinessTransitions>();
        services.AddHostedService(provider => provider.GetRequiredService<BigtableProbe>());
        services.AddHealthChecks()
            .AddCheck<PubSubReadinessCheck>("pubsub", tags: [ReadyTag])
            .AddCheck<BigtableReadinessCheck>("bigtable", tags: [ReadyTag]);
    }

    public static void UseIngestHealthChecks(this IApplicationBuilder app)
    {
        app.UseHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.UseHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = (context, report) =>
            {
                context.RequestServices.GetRequiredService<ReadinessTransitions>().Observe(report);
                return WriteAsync(context, report);
            },
        });
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(
                e => e.Key,
                e => new Dictionary<string, object?> { ["status"] = e.Value.Status.ToString(), ["description"] = e.Value.Description ?? e.Value.Exception?.Message }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
