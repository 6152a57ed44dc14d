using System.CommandLine;
using StreamingFeatures.Perf.Commands;

namespace StreamingFeatures.Perf.Ingest;

/// <summary>The flags of <c>ingest</c> (System.CommandLine, as the CLI's).</summary>
internal sealed record IngestArguments
{
    private static readonly Option<int> EventsOption = RangedOption.Create("--events", 200_000, 1_000, 10_000_000, "Events in each backlog drained");

    private static readonly Option<int> FeaturesOption = RangedOption.Create("--features", 4, 1, 100, "Int64 features per event");

    private static readonly Option<int> LiveSecondsOption = RangedOption.Create("--live-seconds", 20, 5, 3_600, "Seconds each paced (live) phase publishes");

    private static readonly Option<int> RateStepsOption = RangedOption.Create("--rate-steps", 5, 1, 10, "Rates tried in the search for the sustained rate");

    private static readonly Option<string?> OutputOption = RangedOption.Path("--output", "Also write the JSON to this file.");

    /// <summary>Events in each backlog the bare consumer and the service drain (each drains two).</summary>
    public int Events { get; init; } = 200_000;

    /// <summary>Int64 features per event.</summary>
    public int Features { get; init; } = 4;

    /// <summary>How long each paced (live) phase publishes.</summary>
    public TimeSpan LiveDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Rates tried in the search for the sustained rate (each one live phase).</summary>
    public int RateSteps { get; init; } = 5;

    public string? Output { get; init; }

    /// <summary>The <c>ingest</c> command, running <paramref name="run"/> with its flags.</summary>
    public static Command Command(Func<IngestArguments, Task<int>> run)
    {
        var command = new Command("ingest", "The streaming service's data path next to a bare StreamingPull consumer on the local emulators; prints JSON.")
        {
            EventsOption, FeaturesOption, LiveSecondsOption, RateStepsOption, OutputOption,
        };
        command.SetAction((parse, _) => run(new IngestArguments
        {
            Events = parse.GetValue(EventsOption),
            Features = parse.GetValue(FeaturesOption),
            LiveDuration = TimeSpan.FromSeconds(parse.GetValue(LiveSecondsOption)),
            RateSteps = parse.GetValue(RateStepsOption),
            Output = parse.GetValue(OutputOption),
        }));
        return command;
    }
}
