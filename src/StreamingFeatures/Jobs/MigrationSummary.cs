using System.Text.Json;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Jobs;

/// <summary>The figures of a run, as <c>--summary-json</c> writes them for scripts.</summary>
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

    public static MigrationSummary From(IntegrityReport report, TimeSpan elapsed, double cpuSeconds, long peakWorkingSet, bool stopped, int runs) => new(
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
