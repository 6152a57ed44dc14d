using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace StreamingFeatures.Perf.Migrate;

/// <summary>The flags of <c>migrate</c> and of the hidden <c>serve-bigquery</c> it starts, parsed by hand like <c>pipeline</c>'s.</summary>
internal sealed record MigrateArguments
{
    public long Rows { get; init; } = 1_000_000;

    public int Features { get; init; } = 8;

    /// <summary>Rows of the untimed warm-up of every phase (JIT, pools, the emulators' first tables).</summary>
    public long WarmUpRows { get; init; } = 100_000;

    public string? Output { get; init; }

    public static bool TryParse(ReadOnlySpan<string> args, [NotNullWhen(true)] out MigrateArguments? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        var result = new MigrateArguments();
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (flag)
            {
                case "--rows" when value is not null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long rows) && rows is >= 1_000 and <= 1_000_000_000:
                    result = result with { Rows = rows };
                    i++;
                    break;
                case "--features" when value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int features) && features is >= 1 and <= 1000:
                    result = result with { Features = features };
                    i++;
                    break;
                case "--warmup-rows" when value is not null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long warmUp) && warmUp is >= 1_000 and <= 100_000_000:
                    result = result with { WarmUpRows = warmUp };
                    i++;
                    break;
                case "--output" when !string.IsNullOrWhiteSpace(value):
                    result = result with { Output = value };
                    i++;
                    break;
                case "--rows" or "--warmup-rows":
                    error = $"{flag} needs a whole number from 1,000; got '{value}'.";
                    return false;
                case "--features":
                    error = $"{flag} needs a whole number from 1 to 1,000; got '{value}'.";
                    return false;
                case "--output":
                    error = $"{flag} needs a path; got '{value}'.";
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
}
