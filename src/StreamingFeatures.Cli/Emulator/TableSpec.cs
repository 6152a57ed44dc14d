using System.Globalization;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Cli.EmulatorCommands;

/// <summary>
/// One <c>--table NAME=SPEC</c> of <c>emulator bigquery</c>: NAME is <c>projects/P/datasets/D/tables/T</c>, SPEC is
/// <c>synthetic[:rows=N][,features=F][,seed=S]</c> or <c>files:GLOB.parquet</c> / <c>files:GLOB.csv</c>.
/// </summary>
internal sealed record TableSpec(string Project, string Dataset, string Table, string Source)
{
    public const string AllowedSources = "synthetic[:rows=N][,features=F][,seed=S], files:GLOB.parquet, files:GLOB.csv";

    /// <summary>The table served when no <c>--table</c> is given: the same sample <c>migrate --source sample</c> reads.</summary>
    public static readonly TableSpec Sample = Parse(SourceSpec.SampleTable + "=synthetic:rows=1000000,features=8");

    public string Name => $"projects/{Project}/datasets/{Dataset}/tables/{Table}";

    /// <summary>Parsed synthetic options, or null when the source is files.</summary>
    public SyntheticSourceOptions? Synthetic { get; private init; }

    /// <summary>Parses <paramref name="value"/>; on failure <paramref name="error"/> names the option, the value and what is allowed.</summary>
    public static bool TryParse(string value, out TableSpec? spec, out string error)
    {
        spec = null;
        error = string.Empty;
        int equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            error = $"--table is '{value}'; expected NAME=SPEC, for example projects/local/datasets/features/tables/t=synthetic:rows=5000.";
            return false;
        }

        string name = value[..equals];
        string source = value[(equals + 1)..];
        string[] parts = name.Split('/');
        if (parts.Length != 6 || parts[0] != "projects" || parts[2] != "datasets" || parts[4] != "tables"
            || parts[1].Length == 0 || parts[3].Length == 0 || parts[5].Length == 0)
        {
            error = $"--table '{value}': the name '{name}' is not projects/PROJECT/datasets/DATASET/tables/TABLE.";
            return false;
        }

        var parsed = new TableSpec(parts[1], parts[3], parts[5], source);
        if (source == "synthetic" || source.StartsWith("synthetic:", StringComparison.Ordinal))
        {
            if (!TryParseSynthetic(source.Length == "synthetic".Length ? string.Empty : source["synthetic:".Length..], out SyntheticSourceOptions? options, out string problem))
            {
                error = $"--table '{value}': {problem}";
                return false;
            }

            spec = parsed with { Synthetic = options };
            return true;
        }

        if (source.StartsWith("files:", StringComparison.Ordinal)
            && (source.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) || source.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)))
        {
            spec = parsed;
            return true;
        }

        error = $"--table '{value}': the source '{source}' is not one of {AllowedSources}.";
        return false;
    }

    private static TableSpec Parse(string value) =>
        TryParse(value, out TableSpec? spec, out string error) ? spec! : throw new InvalidOperationException(error);

    /// <summary>The base folder and glob of a files source (split the way <c>migrate --source files:</c> splits it).</summary>
    public (string BaseDirectory, string Glob) Files => SourceSpec.Split(Source["files:".Length..]);

    private static bool TryParseSynthetic(string settings, out SyntheticSourceOptions? options, out string problem)
    {
        options = null;
        problem = string.Empty;
        var parsed = new SyntheticSourceOptions { Rows = 1_000_000, Features = 8 };
        foreach (string setting in settings.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] pair = setting.Split('=', 2);
            string key = pair[0];
            if (pair.Length != 2 || !long.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out long number))
            {
                problem = $"'{setting}' is not KEY=NUMBER (keys rows, features, seed; numbers are whole and not negative).";
                return false;
            }

            switch (key)
            {
                case "rows":
                    parsed = parsed with { Rows = number };
                    break;
                case "features" when number <= int.MaxValue:
                    parsed = parsed with { Features = (int)number };
                    break;
                case "seed" when number <= int.MaxValue:
                    parsed = parsed with { Seed = (int)number };
                    break;
                default:
                    problem = key is "features" or "seed"
                        ? $"{key}={number} is too large."
                        : $"'{key}' is not a synthetic setting; allowed rows, features, seed.";
                    return false;
            }
        }

        try
        {
            parsed.Validate();
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
            return false;
        }

        options = parsed;
        return true;
    }
}
