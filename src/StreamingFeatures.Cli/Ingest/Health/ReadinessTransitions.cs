using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace StreamingFeatures.Cli.Ingest.Health;

/// <summary>
/// Logs readiness when it changes, with each check's reason, instead of the health-check library's error line on
/// every probe while unready (Kubernetes probes every few seconds).
/// </summary>
internal sealed partial class ReadinessTransitions(ILogger<ReadinessTransitions> logger)
{
    private int _last = -1;

    public void Observe(HealthReport report)
    {
        int now = (int)report.Status;
        if (Interlocked.Exchange(ref _last, now) == now)
        {
            return;
        }

        string reasons = string.Join("; ", report.Entries.Select(e => $"{e.Key}: {e.Value.Status} ({e.Value.Description ?? e.Value.Exception?.Message})"));
        if (report.Status == HealthStatus.Healthy)
        {
            Ready(logger, reasons);
        }
        else
        {
            NotReady(logger, reasons);
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Ready: {Reasons}")]
    private static partial void Ready(ILogger logger, string reasons);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Not ready: {Reasons}")]
    private static partial void NotReady(ILogger logger, string reasons);
}
