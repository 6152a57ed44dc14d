using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Cli.Ingest.Health;

/// <summary>
/// Ready while the pipeline runs with at least one StreamingPull stream open and no stream or ack error in the last
/// <see cref="RecentErrorWindow"/>; not ready while starting, stopping, or cut off from Pub/Sub.
/// </summary>
internal sealed class PubSubReadinessCheck(IngestState state, TimeProvider time) : IHealthCheck
{
    public static readonly TimeSpan RecentErrorWindow = TimeSpan.FromSeconds(30);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (state.Phase != IngestPhase.Running || state.Source is not { } source)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(state.Phase.ToString().ToLowerInvariant()));
        }

        PubSubSourceStatus status = source.Status;
        var data = new Dictionary<string, object>
        {
            ["connectedStreams"] = status.ConnectedStreams,
            ["outstandingMessages"] = status.OutstandingMessages,
        };
        if (status.ConnectedStreams == 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"no StreamingPull stream is connected{LastError(status)}", data: data));
        }

        if (status.LastErrorTime is { } at && time.GetUtcNow() - at < RecentErrorWindow)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"a stream error in the last {RecentErrorWindow.TotalSeconds:0} s{LastError(status)}", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"{status.ConnectedStreams} streams connected"), data));
    }

    private static string LastError(PubSubSourceStatus status) =>
        status.LastError is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"; last error at {status.LastErrorTime:O}: {status.LastError}");
}
