using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace StreamingFeatures.Perf.Pipeline;

/// <summary>The few flags of <c>pipeline</c>, parsed by hand: five flags do not justify a command-line package.</summary>
internal sealed record PipelineArguments
{
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

    public static bool TryParse(ReadOnlySpan<string> args, [NotNullWhen(true)] out PipelineArguments? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        var result = new PipelineArguments();
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (flag)
            {
                case "--rows" when value is not null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long rows) && rows is >= 1 and <= 1_000_000_000:
                    result = result with { Rows = rows };
                    i++;
                    break;
                case "--features" when value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int features) && features is >= 1 and <= 1000:
                    result = result with { Features = features };
                    i++;
                    break;
                case "--warmup-rows" when value is not null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long warmUp) && warmUp <= 100_000_000:
                    result = result with { WarmUpRows = warmUp };
                    i++;
                    break;
                case "--output" when !string.IsNullOrWhiteSpace(value):
                    result = result with { Output = value };
                    i++;
                    break;
                case "--trace" when !string.IsNullOrWhiteSpace(value):
                    result = result with { Trace = value };
                    i++;
                    break;
                case "--skip-emulator":
                    result = result with { SkipEmulator = true };
                    break;
                case "--no-preheat":
                    result = result with { PreheatEmulator = false };
                    break;
                case "--skip-null-sink":
                    result = result with { SkipNullSink = true };
                    break;
                case "--rows" or "--features" or "--warmup-rows" or "--output" or "--trace":
                    error = $"{flag} needs {Expected(flag)}; got '{value}'.";
                    return false;
                default:
                    error = $"Unknown argument '{flag}'.";
                    return false;
            }
        }

        parsed = result;
        error = null;
        return true;
    }

    private static string Expected(string flag) => flag switch
    {
        "--rows" => "a row count from 1 to 1000000000",
        "--features" => "a feature count from 1 to 1000",
        "--warmup-rows" => "a row count from 0 to 100000000",
        _ => "a path",
    };
}
