using System.CommandLine;
using StreamingFeatures.Perf.Commands;

namespace StreamingFeatures.Perf.Migrate;

/// <summary>The flags of <c>migrate</c> and of the hidden <c>serve-bigquery</c> it starts (System.CommandLine, as the CLI's).</summary>
internal sealed record MigrateArguments
{
    private static readonly Option<long> RowsOption = RangedOption.Create("--rows", 1_000_000L, 1_000L, 1_000_000_000L, "Rows of the timed runs");

    private static readonly Option<int> FeaturesOption = RangedOption.Create("--features", 8, 1, 1_000, "Int64 features per row");

    private static readonly Option<long> WarmUpOption = RangedOption.Create("--warmup-rows", 100_000L, 1_000L, 100_000_000L, "Rows of the untimed warm-up of every phase");

    private static readonly Option<string?> OutputOption = RangedOption.Path("--output", "Also write the JSON to this file.");

    public long Rows { get; init; } = 1_000_000;

    public int Features { get; init; } = 8;

    /// <summary>Rows of the untimed warm-up of every phase (JIT, pools, the emulators' first tables).</summary>
    public long WarmUpRows { get; init; } = 100_000;

    public string? Output { get; init; }

    /// <summary>A command taking these flags, running <paramref name="run"/> with them.</summary>
    public static Command Command(string name, string description, Func<MigrateArguments, Task<int>> run)
    {
        var command = new Command(name, description) { RowsOption, FeaturesOption, WarmUpOption, OutputOption };
        command.SetAction((parse, _) => run(new MigrateArguments
        {
            Rows = parse.GetValue(RowsOption),
            Features = parse.GetValue(FeaturesOption),
            WarmUpRows = parse.GetValue(WarmUpOption),
            Output = parse.GetValue(OutputOption),
        }));
        return command;
    }
}
