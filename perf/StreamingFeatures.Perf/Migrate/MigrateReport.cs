using StreamingFeatures.Perf.Pipeline;

namespace StreamingFeatures.Perf.Migrate;

/// <summary>
/// The JSON <c>migrate</c> prints. CPU is this (client) process's only, per million rows (= CPU-µs per row); each
/// side covers its two runs (ABBA order: migration, bare loops, bare loops, migration); every run is under
/// <see cref="Phases"/>, with both emulators' CPU and the rest of the machine's.
/// </summary>
internal sealed record MigrateReport : RunReport
{
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

/// <summary>A phase of <c>migrate</c>: the client's figures as <c>pipeline</c> reports them (the emulator is cbtemulator), plus the BigQuery emulator's CPU.</summary>
internal sealed record MigratePhaseDetail : PhaseDetail
{
    private MigratePhaseDetail(PhaseDetail client)
        : base(client)
    {
    }

    public required double BigQueryEmulatorCpuSeconds { get; init; }

    public static MigratePhaseDetail From(MigratePhase phase, bool withWorkingSet) =>
        new(PhaseDetail.From(phase.Client, withWorkingSet) with { OtherProcessesCpuSeconds = phase.OtherCpu is { } other ? Math.Round(other.TotalSeconds, 3) : null })
        {
            BigQueryEmulatorCpuSeconds = Math.Round(phase.BigQueryCpu.TotalSeconds, 3),
        };
}
