using StreamingFeatures.Jobs;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>Where the service is in its life, for readiness and the exit code.</summary>
internal enum IngestPhase
{
    /// <summary>Starting emulators, connecting, provisioning: nothing is pulled yet.</summary>
    Starting,

    /// <summary>The pipeline runs.</summary>
    Running,

    /// <summary>A stop was asked for: pulling has stopped, rows drain, acks and nacks go out.</summary>
    Stopping,

    /// <summary>Done; <see cref="IngestState.ExitCode"/> says how.</summary>
    Stopped,
}

/// <summary>
/// What the worker shares with the health checks, the summary log and the command: the phase, the running source,
/// how to probe Bigtable, and the exit code. Set by the worker (or by tests), read by everything else.
/// </summary>
internal sealed class IngestState
{
    private volatile IngestPhase _phase;
    private volatile IIngestSource? _source;
    private volatile Func<CancellationToken, Task>? _bigtableProbe;
    private int _exitCode = ExitCodes.Success;

    public IngestPhase Phase => _phase;

    /// <summary>The source while it is open; null before and after.</summary>
    public IIngestSource? Source => _source;

    /// <summary>A cheap request that fails when Bigtable cannot be reached; null until connected.</summary>
    public Func<CancellationToken, Task>? BigtableProbe => _bigtableProbe;

    /// <summary>The process's exit code once <see cref="Phase"/> is <see cref="IngestPhase.Stopped"/>.</summary>
    public int ExitCode => Volatile.Read(ref _exitCode);

    public void Connected(Func<CancellationToken, Task> bigtableProbe) => _bigtableProbe = bigtableProbe;

    public void Running(IIngestSource source)
    {
        _source = source;
        _phase = IngestPhase.Running;
    }

    public void Stopping()
    {
        if (_phase != IngestPhase.Stopped)
        {
            _phase = IngestPhase.Stopping;
        }
    }

    public void Stopped(int exitCode)
    {
        Volatile.Write(ref _exitCode, exitCode);
        _source = null;
        _phase = IngestPhase.Stopped;
    }
}
