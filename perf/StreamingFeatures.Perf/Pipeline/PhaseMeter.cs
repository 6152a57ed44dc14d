using System.Diagnostics;

namespace StreamingFeatures.Perf.Pipeline;

/// <summary>What one timed phase cost this process: wall time, CPU, allocations, collections, peak working set.</summary>
internal sealed record PhaseMeasurement(
    long Rows,
    TimeSpan Elapsed,
    TimeSpan Cpu,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    long PeakWorkingSetBytes,
    TimeSpan? MachineCpu,
    TimeSpan? EmulatorCpu)
{
    public double RowsPerSecond => Rows / Elapsed.TotalSeconds;

    /// <summary>CPU-seconds per million rows, which is also CPU-microseconds per row.</summary>
    public double CpuSecondsPerMillionRows => Cpu.TotalSeconds / (Rows / 1_000_000.0);

    public double AllocatedBytesPerRow => (double)AllocatedBytes / Rows;

    /// <summary>Two runs of the same phase as one: rows, times and counts add up, the peak is the larger.</summary>
    public PhaseMeasurement Plus(PhaseMeasurement other) => new(
        Rows + other.Rows,
        Elapsed + other.Elapsed,
        Cpu + other.Cpu,
        AllocatedBytes + other.AllocatedBytes,
        Gen0Collections + other.Gen0Collections,
        Gen1Collections + other.Gen1Collections,
        Gen2Collections + other.Gen2Collections,
        Math.Max(PeakWorkingSetBytes, other.PeakWorkingSetBytes),
        MachineCpu + other.MachineCpu,
        EmulatorCpu + other.EmulatorCpu);

    /// <summary>CPU the rest of the machine used meanwhile (neither this process nor the emulator): other work skews the figures.</summary>
    /// <remarks>/proc/stat counts in 10 ms ticks, so a quiet machine shows a few tens of milliseconds either way; clamped at 0.</remarks>
    public TimeSpan? OtherCpu => MachineCpu - Cpu - (EmulatorCpu ?? TimeSpan.Zero) is { } other ? (other > TimeSpan.Zero ? other : TimeSpan.Zero) : null;
}

/// <summary>
/// Measures a phase of this process. The CPU is the client's alone: <see cref="Process.TotalProcessorTime"/> counts
/// this process's threads, not the emulator's. The working set is sampled every 100 ms on a timer thread.
/// </summary>
internal sealed class PhaseMeter : IAsyncDisposable
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(100);

    private readonly Process _process = Process.GetCurrentProcess();
    private readonly long _started;
    private readonly TimeSpan _cpuStart;
    private readonly long _allocatedStart;
    private readonly int _gen0Start;
    private readonly int _gen1Start;
    private readonly int _gen2Start;
    private readonly ITimer? _sampler;
    private readonly Process? _emulator;
    private readonly TimeSpan? _emulatorCpuStart;
    private readonly TimeSpan? _machineCpuStart;
    private long _peakWorkingSet;

    private PhaseMeter(bool sampleWorkingSet, int? emulatorProcessId)
    {
        if (emulatorProcessId is { } pid)
        {
            _emulator = Process.GetProcessById(pid);
            _emulatorCpuStart = _emulator.TotalProcessorTime;
        }

        _machineCpuStart = MachineCpu();
        if (sampleWorkingSet)
        {
            Sample();
            _sampler = TimeProvider.System.CreateTimer(_ => Sample(), null, SampleInterval, SampleInterval);
        }

        _gen0Start = GC.CollectionCount(0);
        _gen1Start = GC.CollectionCount(1);
        _gen2Start = GC.CollectionCount(2);
        _allocatedStart = GC.GetTotalAllocatedBytes(precise: false);
        _process.Refresh();
        _cpuStart = _process.TotalProcessorTime;
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Starts measuring now; with <paramref name="sampleWorkingSet"/>, also the peak working set.</summary>
    /// <summary>
    /// Starts measuring now; with <paramref name="sampleWorkingSet"/>, also the peak working set; with
    /// <paramref name="emulatorProcessId"/>, also the emulator's CPU.
    /// </summary>
    public static PhaseMeter Start(bool sampleWorkingSet, int? emulatorProcessId = null) => new(sampleWorkingSet, emulatorProcessId);

    /// <summary>Stops the clock and returns the phase's figures for <paramref name="rows"/> rows.</summary>
    public PhaseMeasurement Stop(long rows)
    {
        TimeSpan elapsed = Stopwatch.GetElapsedTime(_started);
        _process.Refresh();
        TimeSpan cpu = _process.TotalProcessorTime - _cpuStart;
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - _allocatedStart;
        TimeSpan? machineCpu = MachineCpu() - _machineCpuStart;
        _emulator?.Refresh();
        TimeSpan? emulatorCpu = _emulator?.TotalProcessorTime - _emulatorCpuStart;
        _sampler?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (_sampler is not null)
        {
            Sample();
        }

        return new PhaseMeasurement(
            rows,
            elapsed,
            cpu,
            allocated,
            GC.CollectionCount(0) - _gen0Start,
            GC.CollectionCount(1) - _gen1Start,
            GC.CollectionCount(2) - _gen2Start,
            Interlocked.Read(ref _peakWorkingSet),
            machineCpu,
            emulatorCpu);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sampler is not null)
        {
            await _sampler.DisposeAsync().ConfigureAwait(false);
        }

        _process.Dispose();
        _emulator?.Dispose();
    }

    /// <summary>Busy time of all CPUs since boot from /proc/stat (Linux), or null elsewhere.</summary>
    private static TimeSpan? MachineCpu()
    {
        const string Stat = "/proc/stat";
        if (!File.Exists(Stat))
        {
            return null;
        }

        // "cpu  user nice system idle iowait irq softirq steal ...", in USER_HZ (100 per second on Linux).
        string[] fields = File.ReadLines(Stat).First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long busy = 0;
        foreach (int i in (int[])[1, 2, 3, 6, 7, 8])
        {
            busy += long.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture);
        }

        return TimeSpan.FromSeconds(busy / 100.0);
    }

    private void Sample()
    {
        // A fresh Process object each time: Refresh() on a shared one would race with Stop() on another thread.
        using Process current = Process.GetCurrentProcess();
        long workingSet = current.WorkingSet64;

        long peak = Interlocked.Read(ref _peakWorkingSet);
        while (workingSet > peak)
        {
            long seen = Interlocked.CompareExchange(ref _peakWorkingSet, workingSet, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }
    }
}
