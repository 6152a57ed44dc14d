using System.Text;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>The report's table of the read workload (target serve, a mixed profile).</summary>
internal static partial class LoadTestReport
{
    private static void ReadsTable(StringBuilder html, ReadRun? reads)
    {
        if (reads is null)
        {
            return;
        }

        LatencyFigures l = reads.LatencyMs;
        Table(html, reads.DuringWrites ? "Reads while the writes ran" : "Reads (after the write phase)", [
            ("reader", reads.Reader), ("batch size (keys per request)", N(reads.BatchSize)),
            ("planned / answered / failed / unfinished requests", $"{N(reads.PlannedRequests)} / {N(reads.Requests)} / {N(reads.FailedRequests)} / {N(reads.UnfinishedRequests)}"),
            ("keys read", N(reads.Keys)),
            ("requests/s (keys/s)", $"{F(reads.RequestsPerSecond)} ({F(reads.KeysPerSecond)})"),
            ("read latency p50 / p90 / p99 / p99.9 / max (ms), from the planned start", $"{F(l.P50)} / {F(l.P90)} / {F(l.P99)} / {F(l.P999)} / {F(l.Max)}"),
            ("features by status", string.Join(", ", reads.Statuses.Select(s => $"{s.Key} {N(s.Value)}"))),
            ("errors by code", reads.Errors.Count == 0 ? "none" : string.Join(", ", reads.Errors.Select(e => $"{e.Key} {N(e.Value)}"))),
            ("duration s", F(reads.DurationSeconds)),
        ]);
    }
}
