using Grpc.Core;
using Microsoft.Extensions.Hosting;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Cli.Ingest.Health;

/// <summary>
/// Probes Bigtable every <see cref="IngestSettings.ProbeInterval"/> with a cheap request (ReadRows, one row at most)
/// and keeps the last result, so readiness answers at once and Kubernetes' probes never wait on Bigtable. A refused or
/// reset connection is retried within the probe's time, so a blip shorter than that does not turn the service unready.
/// </summary>
internal sealed class BigtableProbe(IngestState state, IngestSettings settings, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan s_maxProbeTime = TimeSpan.FromSeconds(5);

    private volatile ProbeResult _last = new(false, "not connected yet", null);

    /// <summary>The last probe's outcome.</summary>
    public ProbeResult Last => _last;

    /// <summary>Probes once now (the loop does this every interval; tests call it directly).</summary>
    public async Task ProbeOnceAsync(CancellationToken cancellationToken)
    {
        if (state.BigtableProbe is not { } probe)
        {
            // Still the initial "not connected yet"; writing it again could overwrite a probe that ran meanwhile.
            return;
        }

        TimeSpan timeout = s_maxProbeTime < settings.ProbeInterval ? s_maxProbeTime : settings.ProbeInterval;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var retry = new CallRetry(new CallRetryOptions { Deadline = timeout, AttemptTimeout = timeout, MaxBackoff = TimeSpan.FromSeconds(1) }, time);
            await retry.ExecuteAsync("Bigtable probe (ReadRows)", _ => probe(limit.Token), limit.Token).ConfigureAwait(false);
            _last = new ProbeResult(true, null, time.GetUtcNow());
        }
        catch (RpcException e)
        {
            _last = new ProbeResult(false, $"{e.StatusCode}: {e.Status.Detail}", _last.LastSuccess);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _last = new ProbeResult(false, $"no answer within {timeout.TotalSeconds:0.#} s", _last.LastSuccess);
        }
#pragma warning disable CA1031 // Whatever fails the probe makes the service unready, with the reason; it never stops the loop.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            _last = new ProbeResult(false, e.Message, _last.LastSuccess);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ProbeOnceAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(settings.ProbeInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops.
        }
    }
}

/// <summary>A probe's outcome: whether it succeeded, why not, and when one last did.</summary>
internal sealed record ProbeResult(bool Succeeded, string? Error, DateTimeOffset? LastSuccess);
