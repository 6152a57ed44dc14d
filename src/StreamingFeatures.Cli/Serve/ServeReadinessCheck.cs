using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace StreamingFeatures.Cli.Serve;

/// <summary>
/// Ready while the service is not stopping: on SIGTERM readiness turns 503 at once, so load balancers stop sending
/// reads while the ones in flight finish. Bigtable is not checked: an outage answers UNAVAILABLE per read, and
/// taking every pod out of the Service would turn it into connection errors.
/// </summary>
internal sealed class ServeReadinessCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public const string Tag = "ready";
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("stopping: draining the reads in flight")
            : HealthCheckResult.Healthy("serving"));
}

/// <summary>The health endpoints of the serve host.</summary>
internal static class ServeHealthEndpoints
{
    public static void MapServeHealthChecks(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks(ServeReadinessCheck.LivePath, new HealthCheckOptions { Predicate = _ => false });
        routes.MapHealthChecks(ServeReadinessCheck.ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ServeReadinessCheck.Tag) });
    }
}
