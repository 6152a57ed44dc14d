using System.Globalization;
using System.Text;

namespace StreamingFeatures.LoadTesting;

/// <summary>
/// Two runs side by side. The gate fails when achieved throughput drops, or p99 latency rises, beyond its limit
/// (shares of the baseline's figure); the other rows are there to read.
/// </summary>
public sealed record LoadComparison(IReadOnlyList<ComparisonRow> Rows)
{
    public bool Passed => Rows.All(r => !r.Regressed);

    public static LoadComparison Compare(LoadTestResult current, LoadTestResult baseline, double maxThroughputDrop, double maxP99Rise)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(baseline);
        LoadSummary now = current.Summary;
        LoadSummary then = baseline.Summary;
        // Reads are gated like writes when both runs read (target serve, a mixed profile): p99, and answered requests/s,
        // so a run whose reads all failed (an empty histogram, p99 0) cannot pass.
        ComparisonRow[] reads = current.Reads is { } r && baseline.Reads is { } b
            ?
            [
                Gate("read p99 latency ms", b.LatencyMs.P99, r.LatencyMs.P99, maxP99Rise),
                Gate("answered read requests/s", b.RequestsPerSecond, r.RequestsPerSecond, -maxThroughputDrop),
                Info("read p50 latency ms", b.LatencyMs.P50, r.LatencyMs.P50),
                Info("read p99.9 latency ms", b.LatencyMs.P999, r.LatencyMs.P999),
                Info("failed read requests", b.FailedRequests, r.FailedRequests),
            ]
            : [];
        return new LoadComparison(
        [
            Gate("achieved rows/s", then.AchievedRowsPerSecond, now.AchievedRowsPerSecond, -maxThroughputDrop),
            Gate("p99 latency ms", then.LatencyMs.P99, now.LatencyMs.P99, maxP99Rise),
            .. reads,
            Info("offered rows/s", then.OfferedRowsPerSecond, now.OfferedRowsPerSecond),
            Info("peak achieved rows/s", then.PeakAchievedRowsPerSecond, now.PeakAchievedRowsPerSecond),
            Info("p50 latency ms", then.LatencyMs.P50, now.LatencyMs.P50),
            Info("p90 latency ms", then.LatencyMs.P90, now.LatencyMs.P90),
            Info("p99.9 latency ms", then.LatencyMs.P999, now.LatencyMs.P999),
            Info("max latency ms", then.LatencyMs.Max, now.LatencyMs.Max),
            Info("dead letters", then.DeadLetters, now.DeadLetters),
            Info("retries", then.Retries, now.Retries),
            Info("mean CPU %", then.MeanCpuPercent, now.MeanCpuPercent),
            Info("peak working set MB", then.PeakWorkingSetBytes / 1e6, now.PeakWorkingSetBytes / 1e6),
            Info("max key-range skew", then.MaxSkew, now.MaxSkew),
        ]);
    }

    /// <summary>The side-by-side table, one row per figure, for a terminal.</summary>
    public string ToTable(string currentName = "current", string baselineName = "baseline")
    {
        string[] header = ["figure", baselineName, currentName, "change", "limit", "verdict"];
        List<string[]> lines = [header, .. Rows.Select(r => new[] { r.Metric, Number(r.Baseline), Number(r.Current), Change(r.Change), r.Limit, r.Verdict })];
        int[] widths = [.. Enumerable.Range(0, header.Length).Select(c => lines.Max(l => l[c].Length))];
        var text = new StringBuilder();
        foreach (string[] line in lines)
        {
            for (int c = 0; c < line.Length; c++)
            {
                // Names left, figures right, as a table of numbers reads.
                text.Append(c == 0 ? line[c].PadRight(widths[c]) : line[c].PadLeft(widths[c]));
                text.Append(c < line.Length - 1 ? "  " : string.Empty);
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static ComparisonRow Gate(string metric, double baseline, double current, double limit)
    {
        double change = Relative(baseline, current);
        bool regressed = limit < 0 ? change < limit : change > limit;
        string shown = (limit < 0 ? "≥ " : "≤ ") + Change(limit);
        return new ComparisonRow(metric, baseline, current, change, shown, Gated: true, regressed);
    }

    private static ComparisonRow Info(string metric, double baseline, double current) =>
        new(metric, baseline, current, Relative(baseline, current), "-", Gated: false, Regressed: false);

    private static double Relative(double baseline, double current) =>
        baseline == 0 ? (current == 0 ? 0 : double.PositiveInfinity) : (current - baseline) / baseline;

    private static string Number(double value) => value.ToString(Math.Abs(value) >= 1000 ? "N0" : Math.Abs(value) >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);

    private static string Change(double change) => double.IsInfinity(change) ? "new" : change.ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture);
}

/// <summary>One figure of two runs; <see cref="Change"/> is relative to the baseline.</summary>
public sealed record ComparisonRow(string Metric, double Baseline, double Current, double Change, string Limit, bool Gated, bool Regressed)
{
    public string Verdict => !Gated ? string.Empty : Regressed ? "REGRESSED" : "ok";
}
