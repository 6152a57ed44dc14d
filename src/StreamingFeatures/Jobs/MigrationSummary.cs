using System.Text.Json;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Jobs;

/// <summary>
/// The figures of a run, as <c>--summary-json</c> writes them for scripts. Rows read, written and dead-lettered count
/// every run of the migration; <see cref="Sources"/> splits them by source (file, read stream) into this run's written
/// and dead-lettered rows and the rows earlier runs did (<see cref="RowsSkipped"/>), and each adds up.
/// </summary>
public sealed record MigrationSummary(
    long RowsRead,
    long RowsWritten,
    long RowsVerified,
    long Mismatches,
    long Missing,
    long DeadLettered,
    long Retries,
    double ElapsedSeconds,
    double RowsPerSecond,
    double CpuSeconds,
    long PeakWorkingSetBytes,
    bool Stopped,
    int Runs)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>Rows read back overwritten by a newer event (a live stream during a cutover): not mismatches.</summary>
    public long Superseded { get; init; }

    /// <summary>Rows earlier runs had done, which this run did not read again.</summary>
    public long RowsSkipped { get; init; }

    /// <summary>The BigQuery read session's streams and estimates; null for other sources.</summary>
    public ReadSessionFigures? ReadSession { get; init; }

    /// <summary>Residual streams this shard took over from stragglers (work stealing), with their rows; also among <see cref="Sources"/>.</summary>
    public IReadOnlyList<TakenOverFigures> TakenOver { get; init; } = [];

    /// <summary>Read sessions that expired and the sessions that replaced them, with the rows read again.</summary>
    public IReadOnlyList<Checkpoints.SessionRenewal> SessionRenewals { get; init; } = [];

    /// <summary>Per source: read = written (this run) + dead-lettered (this run) + skipped.</summary>
    public IReadOnlyList<SourceFigures> Sources { get; init; } = [];

    /// <exception cref="InvalidOperationException">The figures do not add up, per source or in total.</exception>
    public static MigrationSummary From(IntegrityReport report, IReadOnlyList<SourceFigures> sources, TimeSpan elapsed, double cpuSeconds, long peakWorkingSet, bool stopped, int runs)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(sources);
        SourceFigures.CheckAddUp(sources);
        var total = new SourceFigures("all sources", report.RowsRead, sources.Sum(s => s.Written), sources.Sum(s => s.DeadLettered), sources.Sum(s => s.Skipped));
        if (sources.Count > 0)
        {
            SourceFigures.CheckAddUp([total]);
        }

        return From(report, elapsed, cpuSeconds, peakWorkingSet, stopped, runs) with { RowsSkipped = total.Skipped, Sources = sources, Superseded = report.Superseded };
    }

    private static MigrationSummary From(IntegrityReport report, TimeSpan elapsed, double cpuSeconds, long peakWorkingSet, bool stopped, int runs) => new(
        report.RowsRead,
        report.RowsWritten,
        report.RowsVerified,
        report.Changed,
        report.Missing,
        report.DeadLettered,
        report.Retries,
        Math.Round(elapsed.TotalSeconds, 3),
        elapsed.TotalSeconds > 0 ? Math.Round(report.RowsRead / elapsed.TotalSeconds) : 0,
        Math.Round(cpuSeconds, 3),
        peakWorkingSet,
        stopped,
        runs);

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
