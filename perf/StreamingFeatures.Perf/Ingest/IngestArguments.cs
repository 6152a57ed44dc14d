using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace StreamingFeatures.Perf.Ingest;

/// <summary>The flags of <c>ingest</c>, parsed by hand as <c>pipeline</c>'s are.</summary>
internal sealed record IngestArguments
{
    /// <summary>Events in each backlog the bare consumer and the service drain (each drains two).</summary>
    public int Events { get; init; } = 200_000;

    /// <summary>Int64 features per event.</summary>
    public int Features { get; init; } = 4;

    /// <summary>How long each paced (live) phase publishes.</summary>
    public TimeSpan LiveDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Rates tried in the search for the sustained rate (each one live phase).</summary>
    public int RateSteps { get; init; } = 5;

    public string? Output { get; init; }

    public static bool TryParse(ReadOnlySpan<string> args, [NotNullWhen(true)] out IngestArguments? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        var result = new IngestArguments();
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (flag)
            {
                case "--events" when value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int events) && events is >= 1_000 and <= 10_000_000:
                    result = result with { Events = events };
                    i++;
                    break;
                case "--features" when value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int features) && features is >= 1 and <= 100:
                    result = result with { Features = features };
                    i++;
                    break;
                case "--live-seconds" when value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds is >= 5 and <= 3_600:
                    result = result with { LiveDuration = TimeSpan.FromSeconds(seconds) };
                    i++;
                    break;
                case "--rate-steps" when value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int steps) && steps is >= 1 and <= 10:
                    result = result with { RateSteps = steps };
                    i++;
                    break;
                case "--output" when !string.IsNullOrWhiteSpace(value):
                    result = result with { Output = value };
                    i++;
                    break;
                default:
                    error = $"ingest: unknown flag or bad value at '{flag}' (--events 1000..10000000, --features 1..100, --live-seconds 5..3600, --rate-steps 1..10, --output PATH).";
                    return false;
            }
        }

        parsed = result;
        error = null;
        return true;
    }
}
