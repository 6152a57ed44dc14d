using System.Globalization;

namespace StreamingFeatures.Emulators;

/// <summary>
/// Garbage-collector settings for cbtemulator (a Go program) when it takes a bulk load. It keeps every row in its heap
/// (about 1.4 KB per row of 4 cells), and with Go's default (GOGC=100) a third of its CPU goes to collecting as the
/// table grows. GOGC=400 collects a quarter as often; GOMEMLIMIT at 85 % of the machine's memory makes it collect
/// harder as it nears that, instead of growing past it (the default reaches 22.7 GB for 10 M rows on a 24 GB machine).
/// </summary>
public static class GoRuntimeSettings
{
    /// <summary>Share of the machine's memory the emulator's heap may use before it collects harder.</summary>
    public const double MemoryShare = 0.85;

    /// <summary>
    /// The variables to give the emulator: none when the user set <c>GOGC</c> or <c>GOMEMLIMIT</c> (theirs win),
    /// else <c>GOGC=400</c> and <c>GOMEMLIMIT</c> at <see cref="MemoryShare"/> of <paramref name="totalMemoryBytes"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ForBulkLoad(Func<string, string?> environment, long totalMemoryBytes)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(environment("GOGC")) || !string.IsNullOrEmpty(environment("GOMEMLIMIT")) || totalMemoryBytes <= 0)
        {
            return new Dictionary<string, string>();
        }

        long limitMiB = (long)(totalMemoryBytes * MemoryShare) / (1024 * 1024);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GOGC"] = "400",
            ["GOMEMLIMIT"] = limitMiB.ToString(CultureInfo.InvariantCulture) + "MiB",
        };
    }
}
