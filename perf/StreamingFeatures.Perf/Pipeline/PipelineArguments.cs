using System.CommandLine;
using StreamingFeatures.Perf.Commands;

namespace StreamingFeatures.Perf.Pipeline;

/// <summary>The flags of <c>pipeline</c> (System.CommandLine, as the CLI's).</summary>
internal sealed record PipelineArguments
{
    private static readonly Option<long> RowsOption = RangedOption.Create("--rows", 2_000_000L, 1L, 1_000_000_000L, "Rows of each timed run");

    private static readonly Option<int> FeaturesOption = RangedOption.Create("--features", 8, 1, 1_000, "Int64 features per row");

    private static readonly Option<long> WarmUpOption = RangedOption.Create("--warmup-rows", 100_000L, 0L, 100_000_000L, "Rows written untimed before each timed phase");

    private static readonly Option<bool> SkipEmulatorOption = new("--skip-emulator") { Description = "Skip the cbtemulator phases and the bare loop." };

    private static readonly Option<bool> SkipNullSinkOption = new("--skip-null-sink") { Description = "Skip the null-sink phases." };

    private static readonly Option<bool> NoPreheatOption = new("--no-preheat") { Description = "Do not write the full row count untimed before the emulator phases." };

    private static readonly Option<string?> OutputOption = RangedOption.Path("--output", "Also write the JSON to this file.");

    private static readonly Option<string?> TraceOption = RangedOption.Path("--trace", "A folder for one .nettrace per timed phase (EventPipe sample profiler).");

    public long Rows { get; init; } = 2_000_000;

    public int Features { get; init; } = 8;

    /// <summary>Rows written, untimed, before each timed phase so the JIT and pools are warm (ten times as many before the null sink).</summary>
    public long WarmUpRows { get; init; } = 100_000;

    public bool SkipEmulator { get; init; }

    public bool SkipNullSink { get; init; }

    /// <summary>Writes the full row count once, untimed, before the timed emulator phases (off with --no-preheat).</summary>
    public bool PreheatEmulator { get; init; } = true;

    public string? Output { get; init; }

    /// <summary>A folder for one .nettrace per timed pipeline phase (EventPipe sample profiler), or null.</summary>
    public string? Trace { get; init; }

    /// <summary>The <c>pipeline</c> command, running <paramref name="run"/> with its flags.</summary>
    public static Command Command(Func<PipelineArguments, Task<int>> run)
    {
        var command = new Command("pipeline", "The ingestion graph into a null sink and into cbtemulator, and a bare MutateRows loop; prints JSON.")
        {
            RowsOption, FeaturesOption, WarmUpOption, SkipEmulatorOption, SkipNullSinkOption, NoPreheatOption, OutputOption, TraceOption,
        };
        command.SetAction((parse, _) => run(new PipelineArguments
        {
            Rows = parse.GetValue(RowsOption),
            Features = parse.GetValue(FeaturesOption),
            WarmUpRows = parse.GetValue(WarmUpOption),
            SkipEmulator = parse.GetValue(SkipEmulatorOption),
            SkipNullSink = parse.GetValue(SkipNullSinkOption),
            PreheatEmulator = !parse.GetValue(NoPreheatOption),
            Output = parse.GetValue(OutputOption),
            Trace = parse.GetValue(TraceOption),
        }));
        return command;
    }
}
