using StreamingFeatures.Perf.Pipeline;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Perf.Ingest;

/// <summary>What <c>ingest</c> prints: the two drains side by side, the sustained rate and the latency at it and at half.</summary>
internal sealed record IngestReport(
    int EventsPerDrain,
    int Features,
    DrainFigures Bare,
    DrainFigures Service,
    double ServiceToBare,
    LivePhase? Sustained,
    LivePhase? Half,
    IReadOnlyList<LivePhase> RateSearch);

/// <summary>
/// Two timed drains of a backlog, added up. CPU: the client's (this process), cbtemulator's, and the rest of the
/// machine's (the Pub/Sub emulator, a JVM started through a script, is most of it).
/// </summary>
internal sealed record DrainFigures(
    long Events,
    double Seconds,
    double EventsPerSecond,
    double ClientCpuSeconds,
    double ClientCpuSecondsPerMillionEvents,
    double? BigtableEmulatorCpuSeconds,
    double? RestOfMachineCpuSeconds,
    double PeakWorkingSetMiB)
{
    public static DrainFigures From(PhaseMeasurement m) => new(
        m.Rows,
        Math.Round(m.Elapsed.TotalSeconds, 2),
        Math.Round(m.RowsPerSecond),
        Math.Round(m.Cpu.TotalSeconds, 2),
        Math.Round(m.CpuSecondsPerMillionRows, 1),
        m.EmulatorCpu is { } emulator ? Math.Round(emulator.TotalSeconds, 2) : null,
        m.OtherCpu is { } other ? Math.Round(other.TotalSeconds, 2) : null,
        Math.Round(m.PeakWorkingSetBytes / (1024.0 * 1024.0), 1));
}

/// <summary>
/// One paced phase: published at a rate for a while, then waited for until every event was acked. Caught up: every
/// event acked within two seconds of the last publish, so the service kept up.
/// </summary>
internal sealed record LivePhase(
    double OfferedPerSecond,
    long Published,
    double AckedPerSecond,
    bool CaughtUp,
    double CatchUpSeconds,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    double ClientCpuSecondsPerMillionEvents,
    double PeakWorkingSetMiB)
{
    public static LivePhase From(double rate, long published, PhaseMeasurement m, bool caughtUp, TimeSpan catchUp, LatencySummary latency) => new(
        Math.Round(rate),
        published,
        Math.Round(published / m.Elapsed.TotalSeconds),
        caughtUp,
        Math.Round(catchUp.TotalSeconds, 2),
        Math.Round(latency.P50.TotalMilliseconds, 1),
        Math.Round(latency.P90.TotalMilliseconds, 1),
        Math.Round(latency.P99.TotalMilliseconds, 1),
        Math.Round(latency.Max.TotalMilliseconds, 1),
        Math.Round(m.CpuSecondsPerMillionRows, 1),
        Math.Round(m.PeakWorkingSetBytes / (1024.0 * 1024.0), 1));
}
