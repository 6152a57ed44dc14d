using System.Globalization;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>The read workload in the plan of a dry run and in the summary.</summary>
internal sealed partial class LoadTestRunner
{
    /// <summary>A <c>--target</c> that changed the profile's may not fit its reads section (the profile was checked with its own).</summary>
    private string? ReadsProblem(LoadProfile profile) => profile switch
    {
        { Reads: null } when _settings.ServeEndpoint is not null => "--serve-endpoint reads through serve, but the profile has no reads section; allowed: a profile with reads, e.g. perf/profiles/serve-read.yaml.",
        { Target: LoadTarget.Serve, Reads: null } => "--target is serve, but the profile has no reads section; allowed: a profile with reads (shape, batchSize, keys…), e.g. perf/profiles/serve-read.yaml.",
        { Target: LoadTarget.Ingest, Reads: not null } => "--target is ingest, but the profile has a reads section, which runs in process only; allowed: synthetic, bigquery, pubsub or serve.",
        _ => null,
    };

    private static object? ReadPlan(LoadProfile profile)
    {
        if (profile.Reads is not { } reads)
        {
            return null;
        }

        var schedule = new RateSchedule(reads.Shape.ToStages());
        return new
        {
            DuringWrites = profile.Target != LoadTarget.Serve,
            PlannedRequests = schedule.TotalRows,
            schedule.Duration,
            reads.BatchSize,
            reads.Keys.Distribution,
            reads.Keys.KeySpace,
            reads.Keys.ZipfExponent,
            reads.Keys.HotKeyShare,
            reads.Keys.HotKeys,
            Features = reads.Features.Count == 0 ? null : reads.Features,
            reads.MaxInFlight,
            reads.Seed,
            Stages = schedule.Stages.Select(s => new { s.Duration, s.FromRate, s.ToRate }),
        };
    }

    private static void PrintReadPlan(LoadProfile profile)
    {
        if (profile.Reads is not { } reads)
        {
            return;
        }

        var schedule = new RateSchedule(reads.Shape.ToStages());
        LoadKeys keys = reads.Keys;
        string distribution = keys.Distribution switch
        {
            LoadKeyDistribution.Zipf => Invariant($"zipf (exponent {keys.ZipfExponent})"),
            _ => keys.Distribution.ToString().ToLowerInvariant(),
        };
        string hot = keys.HotKeyShare > 0 ? Invariant($", {keys.HotKeyShare:P0} to the {keys.HotKeys:N0} hottest") : string.Empty;
        Console.WriteLine(Invariant($"Reads {(profile.Target == LoadTarget.Serve ? "after the write phase" : "while the writes run")}: {schedule.TotalRows:N0} requests of {reads.BatchSize} key(s) over {Show(schedule.Duration)} ({reads.Shape.Kind.ToString().ToLowerInvariant()}), keys {distribution} over {keys.KeySpace:N0} entities{hot}, features {(reads.Features.Count == 0 ? "all" : string.Join(", ", reads.Features))}, at most {reads.MaxInFlight} in flight, seed {reads.Seed}."));
        foreach (LoadStage stage in schedule.Stages)
        {
            Console.WriteLine(Invariant($"  {Show(stage.Duration),8}  {stage.FromRate,12:N0} req/s{(stage.ToRate != stage.FromRate ? $" → {stage.ToRate:N0} req/s" : string.Empty)}"));
        }
    }

    private static void PrintReads(ReadRun? reads)
    {
        if (reads is null)
        {
            return;
        }

        LatencyFigures l = reads.LatencyMs;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Reads {(reads.DuringWrites ? "while the writes ran" : "after the write phase")} ({reads.Reader}): {reads.Requests:N0} of {reads.PlannedRequests:N0} requests answered ({reads.Keys:N0} keys, {reads.BatchSize} per request), {reads.FailedRequests:N0} failed, {reads.UnfinishedRequests:N0} unfinished; {reads.RequestsPerSecond:N0} requests/s."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Read latency from the planned start: p50 {l.P50:0.00} ms, p90 {l.P90:0.00} ms, p99 {l.P99:0.00} ms, p99.9 {l.P999:0.00} ms, max {l.Max:0.00} ms."));
        Console.WriteLine("Features by status: " + string.Join(", ", reads.Statuses.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:N0}"))) + (reads.Errors.Count == 0 ? "; no errors." : "; errors: " + string.Join(", ", reads.Errors.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} {e.Value:N0}"))) + "."));
    }
}
