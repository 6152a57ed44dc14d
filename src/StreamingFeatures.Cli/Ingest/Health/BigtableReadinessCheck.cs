using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StreamingFeatures.Cli.Ingest.Health;

/// <summary>
/// Ready while the last Bigtable probe succeeded and is recent (a probe loop that stopped answering is a failure too).
/// </summary>
internal sealed class BigtableReadinessCheck(BigtableProbe probe, IngestSettings settings, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ProbeResult last = probe.Last;
        if (!last.Succeeded)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"Bigtable probe failed: {last.Error}"));
        }

        TimeSpan age = time.GetUtcNow() - last.LastSuccess!.Value;
        return Task.FromResult(age > 3 * settings.ProbeInterval
            ? HealthCheckResult.Unhealthy($"the last Bigtable probe succeeded {age.TotalSeconds:0} s ago")
            : HealthCheckResult.Healthy("Bigtable answered"));
    }
}
