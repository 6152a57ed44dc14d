namespace StreamingFeatures.Perf.Pipeline;

/// <summary>
/// The JSON <c>pipeline</c> prints. Figures of a skipped phase are null. CPU is this (client) process's only:
/// cbtemulator is another process. CPU-seconds per million rows equal CPU-microseconds per row. The null sink is the
/// median of three runs; the emulator and bare-loop figures each cover their two runs (ABBA order); every run is
/// listed under <see cref="Phases"/>.
/// </summary>
internal sealed record PerfReport : RunReport
{
    public required RunSettings Settings { get; init; }

    public double? NullSinkRowsPerSecond { get; init; }

    public double? EmulatorRowsPerSecond { get; init; }

    public double? BareLoopRowsPerSecond { get; init; }

    public double? NullSinkCpuSecondsPerMillionRows { get; init; }

    public double? EmulatorCpuSecondsPerMillionRows { get; init; }

    public double? BareLoopCpuSecondsPerMillionRows { get; init; }

    /// <summary>The larger of the null-sink and emulator peaks (the emulator's from its first run, before the bare loop built its messages).</summary>
    public long? PeakWorkingSetBytes { get; init; }

    public long? PeakWorkingSetBytesNullSink { get; init; }

    public long? PeakWorkingSetBytesEmulator { get; init; }

    public double? EmulatorVsBareLoopThroughput { get; init; }

    public double? EmulatorVsBareLoopCpu { get; init; }

    public required GoalResults Goals { get; init; }

    /// <summary>Every measured phase in detail: wall time, CPU, allocations, collections.</summary>
    public required IReadOnlyDictionary<string, PhaseDetail> Phases { get; init; }
}

/// <summary>The pipeline settings every phase ran with (the engine's defaults), so the bare loop can match them.</summary>
internal sealed record RunSettings(int MapParallelism, int MaxRequestsInFlight, int RowsPerRequest, int SourcePartitions, int ChunkRows, string Verification, long EmulatorPreheatRows);

/// <summary>The goals one run can judge; null where a phase was skipped. Flatness in row count needs two runs.</summary>
internal sealed record GoalResults(bool? NullSinkAtLeastOneMillionRowsPerSecond, bool? EmulatorAtLeast90PercentOfBareLoop, bool? EmulatorCpuAtMost130PercentOfBareLoop, bool? EmulatorCpuBelow12MicrosecondsPerRow);

/// <summary>One measured phase: wall time, this process's CPU and allocations, the emulator's and the rest of the machine's CPU.</summary>
internal record PhaseDetail(
    long Rows,
    double Seconds,
    double RowsPerSecond,
    double CpuSeconds,
    double CpuSecondsPerMillionRows,
    double AllocatedBytesPerRow,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    long? PeakWorkingSetBytes,
    double? EmulatorCpuSeconds,
    double? EmulatorCpuSecondsPerMillionRows,
    double? OtherProcessesCpuSeconds)
{
    public static PhaseDetail From(PhaseMeasurement m, bool withWorkingSet) => new(
        m.Rows,
        Math.Round(m.Elapsed.TotalSeconds, 3),
        Math.Round(m.RowsPerSecond),
        Math.Round(m.Cpu.TotalSeconds, 3),
        Math.Round(m.CpuSecondsPerMillionRows, 3),
        Math.Round(m.AllocatedBytesPerRow, 1),
        m.Gen0Collections,
        m.Gen1Collections,
        m.Gen2Collections,
        withWorkingSet ? m.PeakWorkingSetBytes : null,
        Round(m.EmulatorCpu?.TotalSeconds, 3),
        Round(m.EmulatorCpu?.TotalSeconds / (m.Rows / 1_000_000.0), 3),
        Round(m.OtherCpu?.TotalSeconds, 3));

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;
}
