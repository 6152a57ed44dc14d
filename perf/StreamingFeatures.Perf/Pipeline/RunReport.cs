using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace StreamingFeatures.Perf.Pipeline;

/// <summary>The head of every end-to-end report (<c>pipeline</c>, <c>migrate</c>): what ran, on which machine, when and under what load.</summary>
internal abstract record RunReport
{
    public required long Rows { get; init; }

    public required int Features { get; init; }

    public required long WarmUpRows { get; init; }

    public MachineInfo Machine { get; init; } = MachineInfo.Current();

    /// <summary>When the report was made (UTC).</summary>
    public string Date { get; init; } = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>/proc/loadavg when the run started: anything else running skews every figure.</summary>
    public string? LoadAverageAtStart { get; init; }
}

internal sealed record MachineInfo(int Cores, string Os, string Runtime, long TotalMemoryBytes, string Gc)
{
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        (GCSettings.IsServerGC ? "server" : "workstation") + (GCSettings.LatencyMode == GCLatencyMode.Interactive ? ", concurrent" : string.Empty));
}
