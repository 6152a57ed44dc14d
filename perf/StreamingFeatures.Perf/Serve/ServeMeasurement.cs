using System.Diagnostics;
using StreamingFeatures.Perf.Pipeline;

namespace StreamingFeatures.Perf.Serve;

/// <summary>A closed-loop run: this process's figures (with cbtemulator's CPU) and the serve child's CPU, if any.</summary>
internal sealed record ServeMeasurement(PhaseMeasurement Client, TimeSpan? ServerCpu)
{
    public long Keys => Client.Rows;

    public ServeMeasurement Plus(ServeMeasurement other) => new(Client.Plus(other.Client), ServerCpu + other.ServerCpu);

    /// <summary>Measures <paramref name="run"/> (returning the keys read); the server's CPU when <paramref name="serverPid"/> is given.</summary>
    public static async Task<ServeMeasurement> MeasureAsync(int emulatorPid, int? serverPid, Func<Task<long>> run)
    {
        using Process? server = serverPid is { } pid ? Process.GetProcessById(pid) : null;
        TimeSpan? serverStart = server?.TotalProcessorTime;
        PhaseMeasurement client;
        await using (PhaseMeter meter = PhaseMeter.Start(sampleWorkingSet: false, emulatorPid))
        {
            long keys = await run().ConfigureAwait(false);
            client = meter.Stop(keys);
        }

        server?.Refresh();
        return new ServeMeasurement(client, server?.TotalProcessorTime - serverStart);
    }

    public VariantFigures Figures(double bareKeysPerSecond, LatencyFigures latency)
    {
        double perKey = 1_000_000.0 / Keys;
        TimeSpan? other = Client.MachineCpu - Client.Cpu - (Client.EmulatorCpu ?? TimeSpan.Zero) - (ServerCpu ?? TimeSpan.Zero);
        return new VariantFigures(
            Math.Round(Client.RowsPerSecond),
            Math.Round(Client.RowsPerSecond / bareKeysPerSecond, 3),
            Math.Round(Client.Cpu.TotalSeconds * perKey, 3),
            Client.EmulatorCpu is { } e ? Math.Round(e.TotalSeconds * perKey, 3) : null,
            ServerCpu is { } s ? Math.Round(s.TotalSeconds * perKey, 3) : null,
            other is { } o ? Math.Round(Math.Max(0, o.TotalSeconds), 3) : null,
            latency);
    }
}
