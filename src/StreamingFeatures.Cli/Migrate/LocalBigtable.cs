using System.Diagnostics;
using Google.Cloud.Bigtable.Admin.V2;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Emulators;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>
/// The Bigtable emulator of a local job. A job killed with kill -9 cannot stop the emulator it started, and that
/// emulator still holds every row written; a resumed run finds it through the checkpoint, uses it and stops it at
/// the end. A run stopped by Ctrl+C or SIGTERM, or failed, leaves it running the same way (<see cref="KeepRunning"/>),
/// so the same command resumes. When it is gone its rows went with it, and the job must start over. Its output goes
/// to a log file in the temp folder, not to pipes to this process, which an emulator left running would die writing to.
/// </summary>
internal sealed class LocalBigtable : IAsyncDisposable
{
    private readonly Emulator? _started;
    private const string LogPrefix = "streamingfeatures-bigtable-emulator-";

    private readonly Process? _adopted;
    private bool _kept;

    private LocalBigtable(string endpoint, Emulator? started, Process? adopted, string? logFile)
    {
        Endpoint = endpoint;
        _started = started;
        _adopted = adopted;
        LogFile = logFile;
        Owned = started is { IsExternal: false, ProcessId: { } pid } ? new OwnedEmulator(endpoint, pid)
            : adopted is not null ? new OwnedEmulator(endpoint, adopted.Id)
            : null;
    }

    public string Endpoint { get; }

    /// <summary>This job owns the emulator process (it was not given by <c>BIGTABLE_EMULATOR_HOST</c>).</summary>
    public OwnedEmulator? Owned { get; }

    /// <summary>An earlier run's emulator was found alive and is in use.</summary>
    public bool Adopted => _adopted is not null;

    /// <summary>The file the emulator this job owns writes its output to, when known.</summary>
    public string? LogFile { get; }

    /// <summary>Adopts <paramref name="earlier"/> when it still answers; otherwise starts (or connects to) an emulator.</summary>
    public static async Task<LocalBigtable> StartAsync(OwnedEmulator? earlier, CancellationToken cancellationToken)
    {
        if (earlier is not null && Environment.GetEnvironmentVariable("BIGTABLE_EMULATOR_HOST") is null
            && await AnswersAsync(earlier, cancellationToken).ConfigureAwait(false) is { } process)
        {
            return new LocalBigtable(earlier.Endpoint, null, process, LogFileOf(process.Id));
        }

        // A migration is a bulk load: the emulator collects garbage less often, within a memory limit.
        // Its own session: a Ctrl+C in the terminal must not take the emulator (and the rows it holds) with this run.
        var options = new EmulatorOptions
        {
            Environment = GoRuntimeSettings.ForBulkLoad(Environment.GetEnvironmentVariable, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes),
            OwnSession = true,
            OutputFile = Path.Combine(Path.GetTempPath(), LogPrefix + Guid.NewGuid().ToString("N") + ".log"),
        };
        Emulator emulator = await Emulator.StartAsync(EmulatorKind.Bigtable, options, cancellationToken).ConfigureAwait(false);
        return new LocalBigtable(emulator.Endpoint, emulator, null, emulator.IsExternal ? null : options.OutputFile);
    }

    /// <summary>
    /// Stops an earlier run's emulator that a run starting over (--restart) leaves behind, when it is still that
    /// emulator (the same checks as adopting it); returns whether it stopped one.
    /// </summary>
    public static async Task<bool> StopEarlierAsync(OwnedEmulator earlier, CancellationToken cancellationToken)
    {
        if (await AnswersAsync(earlier, cancellationToken).ConfigureAwait(false) is not { } process)
        {
            return false;
        }

        using (process)
        {
            await StopAsync(process).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Leaves an emulator this job owns running after the process ends, with the rows written so far, for the run
    /// that resumes from the checkpoint naming it; returns it, or null when the emulator is not the job's to keep.
    /// </summary>
    public OwnedEmulator? KeepRunning()
    {
        if (Owned is null || !IsRunning(Owned.ProcessId))
        {
            return null;
        }

        _kept = true;
        _started?.Release();
        return Owned;
    }

    public async ValueTask DisposeAsync()
    {
        if (_kept)
        {
            _adopted?.Dispose();
            return;
        }

        if (_started is not null)
        {
            await _started.DisposeAsync().ConfigureAwait(false);
        }

        if (_adopted is not null)
        {
            await StopAsync(_adopted).ConfigureAwait(false);
            _adopted.Dispose();
        }
    }

    private static async Task StopAsync(Process process)
    {
        string? log = LogFileOf(process.Id);
        try
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // It exited by itself.
        }
        catch (TimeoutException)
        {
            // The kill was sent; a process that ignores SIGKILL for 10 s is beyond our reach.
        }

        if (log is not null)
        {
            try
            {
                File.Delete(log);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover log file is harmless.
            }
        }
    }

    /// <summary>The log file an emulator started here writes to (its standard output), or null when it has none.</summary>
    private static string? LogFileOf(int processId)
    {
        try
        {
            string? target = new FileInfo($"/proc/{processId}/fd/1").LinkTarget;
            return target is not null && Path.GetFileName(target).StartsWith(LogPrefix, StringComparison.Ordinal) ? target : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using Process process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<Process?> AnswersAsync(OwnedEmulator earlier, CancellationToken cancellationToken)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(earlier.ProcessId);
            if (process.HasExited || !process.ProcessName.Contains("cbtemulator", StringComparison.OrdinalIgnoreCase))
            {
                process.Dispose();
                return null;
            }
        }
        catch (ArgumentException)
        {
            return null;
        }

        try
        {
            using GrpcChannel channel = GrpcChannel.ForAddress("http://" + earlier.Endpoint, new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure });
            await new BigtableTableAdmin.BigtableTableAdminClient(channel).ListTablesAsync(
                new ListTablesRequest { Parent = "projects/local/instances/local" },
                deadline: TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(3),
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return process;
        }
        catch (RpcException)
        {
            process.Dispose();
            return null;
        }
    }
}
