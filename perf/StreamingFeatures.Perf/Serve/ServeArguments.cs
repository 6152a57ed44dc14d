using System.CommandLine;
using StreamingFeatures.Perf.Commands;

namespace StreamingFeatures.Perf.Serve;

/// <summary>The flags of <c>serve</c> and <c>serve-tuning</c> (System.CommandLine, as the CLI's).</summary>
internal sealed record ServeArguments
{
    private static readonly Option<long> EntitiesOption = RangedOption.Create("--entities", 100_000L, 1_000L, 10_000_000L, "Entities (rows) loaded into cbtemulator");

    private static readonly Option<int> FeaturesOption = RangedOption.Create("--features", 8, 4, 1_000, "Features per entity, alternating int64, float64, bool and string");

    private static readonly Option<double> SecondsOption = new("--seconds")
    {
        Description = "Seconds of every timed run (each variant runs twice per mode, ABBA), 0.5 to 600.",
        DefaultValueFactory = _ => 1.5,
        Validators = { r => { double v = r.GetValueOrDefault<double>(); if (v is < 0.5 or > 600) { r.AddError($"--seconds is {v}; allowed: 0.5 to 600."); } } },
    };

    private static readonly Option<int> ConcurrencyOption = RangedOption.Create("--concurrency", 16, 1, 1_024, "Requests in flight in the closed loop, the same for every variant");

    private static readonly Option<string?> CliOption = RangedOption.Path(
        "--cli", "The built streamingfeatures CLI (its .dll or executable): runs `serve` in a child process and adds the gRPC and REST variants. Without it, only the bare loop and FeatureReader in process run.");

    private static readonly Option<string[]> ServeEnvOption = ServeEnvironment();

    private static readonly Option<string?> OutputOption = RangedOption.Path("--output", "Also write the JSON to this file.");

    public long Entities { get; init; } = 100_000;

    public int Features { get; init; } = 8;

    public double Seconds { get; init; } = 1.5;

    public int Concurrency { get; init; } = 16;

    public string? Cli { get; init; }

    public string? Output { get; init; }

    /// <summary>NAME=VALUE pairs set in the serve child's environment only (not this process's).</summary>
    public IReadOnlyList<string> ServeEnv { get; init; } = [];

    public TimeSpan RunTime => TimeSpan.FromSeconds(Seconds);

    /// <summary>A command taking these flags, running <paramref name="run"/> with them.</summary>
    public static Command Command(string name, string description, Func<ServeArguments, Task<int>> run)
    {
        var command = new Command(name, description) { EntitiesOption, FeaturesOption, SecondsOption, ConcurrencyOption, CliOption, ServeEnvOption, OutputOption };
        command.SetAction((parse, _) => run(new ServeArguments
        {
            Entities = parse.GetValue(EntitiesOption),
            Features = parse.GetValue(FeaturesOption),
            Seconds = parse.GetValue(SecondsOption),
            Concurrency = parse.GetValue(ConcurrencyOption),
            Cli = parse.GetValue(CliOption),
            Output = parse.GetValue(OutputOption),
            ServeEnv = parse.GetValue(ServeEnvOption) ?? [],
        }));
        return command;
    }

    private static Option<string[]> ServeEnvironment()
    {
        var option = new Option<string[]>("--serve-env")
        {
            Description = "NAME=VALUE set in the environment of the `serve` child only (repeatable), e.g. a deployment's DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0.",
            AllowMultipleArgumentsPerToken = false,
        };
        option.Validators.Add(result =>
        {
            foreach (string pair in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (pair.IndexOf('=', StringComparison.Ordinal) < 1)
                {
                    result.AddError($"--serve-env is '{pair}'; allowed: NAME=VALUE.");
                }
            }
        });
        return option;
    }
}
