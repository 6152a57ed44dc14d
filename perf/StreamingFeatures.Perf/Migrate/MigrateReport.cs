using StreamingFeatures.Perf.Pipeline;

namespace StreamingFeatures.Perf.Migrate;

/// <summary>
/// The JSON <c>migrate</c> prints. CPU is this (client) process's only, per million rows (= CPU-µs per row); each
/// side covers its two runs (ABBA order: migration, bare loops, bare loops, migration); every run is under
/// <see cref="Phases"/>, with both emulators' CPU and the rest of the machine's.
/// </summary>
internal sealed record MigrateReport
{
    public required long Rows { get; init; }

    public required int Features { get; init; }

    public required long WarmUpRows { get; init; }

    public required MachineInfo Machine { get; init; }

    public required string Date { get; init; }

    public string? LoadAverageAtStart { get; init; }

    public required MigrateSettings Settings { get; init; }

    public required double MigrationCpuSecondsPerMillionRows { get; init; }

    public required double BareArrowReadCpuSecondsPerMillionRows { get; init; }

    public required double BareMutateRowsCpuSecondsPerMillionRows { get; init; }

    public required double BareReadRowsCpuSecondsPerMillionRows { get; init; }

    /// <summary>The three bare loops' CPU per row added up: what the migration's path costs at the least.</summary>
    public required double BareSumCpuSecondsPerMillionRows { get; init; }

    public required double MigrationVsBareSumCpu { get; init; }

    public required double MigrationRowsPerSecond { get; init; }

    /// <summary>Rows over the three bare loops' wall time added up (they run one after another).</summary>
    public required double BareSumRowsPerSecond { get; init; }

    /// <summary>The first migration run's peak (this process's, not the CLI's), before any bare-loop message was built.</summary>
    public required long PeakWorkingSetBytesMigration { get; init; }

    public required bool GoalCpuAtMost130PercentOfBareSum { get; init; }

    public required IReadOnlyDictionary<string, MigratePhaseDetail> Phases { get; init; }
}

/// <summary>The engine's defaults every phase ran with, so the bare loops match them.</summary>
internal sealed record MigrateSettings(
    int Streams,
    int ConcurrentStreams,
    int RowsPerMutateRows,
    int MaxRequestsInFlight,
    int ReadBackBatchRows,
    int ReadBackParallelism,
    string Verification,
    double CheckpointIntervalSeconds,
    string BigQueryEmulator,
    string BigtableEmulator);

internal sealed record MigratePhaseDetail(
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
    double? BigtableEmulatorCpuSeconds,
    double BigQueryEmulatorCpuSeconds,
    double? OtherProcessesCpuSeconds)
{
    public static MigratePhaseDetail From(MigratePhase phase, bool withWorkingSet)
    {
        PhaseMeasurement m = phase.Client;
        return new(
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
            m.EmulatorCpu is { } bigtable ? Math.Round(bigtable.TotalSeconds, 3) : null,
            Math.Round(phase.BigQueryCpu.TotalSeconds, 3),
            phase.OtherCpu is { } other ? Math.Round(other.TotalSeconds, 3) : null);
    }
}
