using System.Diagnostics;
using StreamingFeatures.Perf.Pipeline;

namespace StreamingFeatures.Perf.Migrate;

/// <summary>One timed phase: the client's figures (<see cref="PhaseMeter"/>, with cbtemulator's CPU) plus the BigQuery emulator child's CPU.</summary>
internal sealed record MigratePhase(PhaseMeasurement Client, TimeSpan BigQueryCpu)
{
    public double CpuMicrosecondsPerRow => Client.CpuSecondsPerMillionRows;

    /// <summary>Two runs of the same phase as one.</summary>
    public MigratePhase Plus(MigratePhase other) => new(Client.Plus(other.Client), BigQueryCpu + other.BigQueryCpu);

    /// <summary>CPU of the rest of the machine meanwhile: neither this process nor either emulator.</summary>
    public TimeSpan? OtherCpu =>
        Client.MachineCpu - Client.Cpu - (Client.EmulatorCpu ?? TimeSpan.Zero) - BigQueryCpu is { } other ? (other > TimeSpan.Zero ? other : TimeSpan.Zero) : null;
}

/// <summary>Measures one phase of this process, with cbtemulator's and the BigQuery emulator child's CPU beside it.</summary>
internal static class MigrateMeter
{
    public static async Task<MigratePhase> MeasureAsync(long rows, int bigtablePid, int bigQueryPid, bool sampleWorkingSet, Func<Task> phase)
    {
        using var bigQuery = Process.GetProcessById(bigQueryPid);
        TimeSpan bigQueryStart = bigQuery.TotalProcessorTime;
        PhaseMeasurement measured;
        await using (PhaseMeter meter = PhaseMeter.Start(sampleWorkingSet, bigtablePid))
        {
            await phase().ConfigureAwait(false);
            measured = meter.Stop(rows);
        }

        bigQuery.Refresh();
        return new MigratePhase(measured, bigQuery.TotalProcessorTime - bigQueryStart);
    }

    /// <summary>
    /// Starts a phase from a collected heap and from idle emulators: both must have been idle for a second (at most
    /// 30 s), so a phase does not pay for the clean-up of the table deleted before it.
    /// </summary>
    public static async Task SettleAsync(params int[] emulatorPids)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Process[] emulators = [.. emulatorPids.Select(Process.GetProcessById)];
        try
        {
            long started = Stopwatch.GetTimestamp();
            TimeSpan last = Busy(emulators);
            while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                TimeSpan now = Busy(emulators);
                if (now - last < TimeSpan.FromMilliseconds(20 * emulators.Length))
                {
                    return;
                }

                last = now;
            }
        }
        finally
        {
            foreach (Process emulator in emulators)
            {
                emulator.Dispose();
            }
        }
    }

    private static TimeSpan Busy(Process[] processes)
    {
        TimeSpan total = TimeSpan.Zero;
        foreach (Process process in processes)
        {
            process.Refresh();
            total += process.TotalProcessorTime;
        }

        return total;
    }
}
