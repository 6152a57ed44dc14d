using System.Globalization;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary><c>--dry-run</c>: everything checked and connected; the plan printed, nothing run.</summary>
internal sealed partial class LoadTestRunner
{
    private int DryRun(LoadProfile profile, DirectoryInfo output, string connected)
    {
        var schedule = RateSchedule.For(profile);
        string target = profile.Target.ToString().ToLowerInvariant();
        if (_settings.JsonOutput)
        {
            WriteJson("plan", new
            {
                profile.Name,
                Target = target,
                Connected = connected,
                PlannedRows = schedule.TotalRows,
                Duration = schedule.Duration,
                profile.Measure.Drain,
                profile.Measure.Warmup,
                profile.Measure.Interval,
                profile.Measure.KeyRanges,
                Stages = schedule.Stages.Select(s => new { s.Duration, s.FromRate, s.ToRate }),
                Output = output.FullName,
                Baseline = _settings.Baseline?.FullName,
                Reads = ReadPlan(profile),
                DryRun = true,
            });
            return ExitCodes.Success;
        }

        Console.WriteLine($"Dry run of load profile '{profile.Name}' ({target} target): {connected}.");
        Console.WriteLine(Invariant($"Plan: {schedule.TotalRows:N0} {(profile.Target == LoadTarget.Ingest ? "events" : "rows")} over {Show(schedule.Duration)} ({profile.Shape.Kind.ToString().ToLowerInvariant()}, {schedule.Stages.Count} stage(s)), then up to {Show(profile.Measure.Drain)} to drain; warm-up {Show(profile.Measure.Warmup)}, an interval every {Show(profile.Measure.Interval)}, {profile.Measure.KeyRanges} key ranges."));
        foreach (LoadStage stage in schedule.Stages)
        {
            Console.WriteLine(Invariant($"  {Show(stage.Duration),8}  {stage.FromRate,12:N0}/s{(stage.ToRate != stage.FromRate ? $" → {stage.ToRate:N0}/s" : string.Empty)}"));
        }

        PrintReadPlan(profile);
        Console.WriteLine($"Reports would go to {output.FullName}{(_settings.Baseline is { } baseline ? $"; gated against {baseline.FullName}" : string.Empty)}.");
        Console.WriteLine(_settings.WriteFeatureSet is { } file ? $"Nothing else was created, published or written: the feature set is in {file.FullName}." : "Nothing was created, published or written.");
        return ExitCodes.Success;
    }

    private static string Show(TimeSpan value) => DurationText.Format(value);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
