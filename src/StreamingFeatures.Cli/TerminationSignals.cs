using System.Runtime.InteropServices;

namespace StreamingFeatures.Cli;

/// <summary>
/// SIGTERM (a pod's stop) and Ctrl+C cancel the running command, which then has a grace period to drain and save its
/// checkpoint; past it, or on a second signal, the process exits with 128 + the signal number. Registered before any
/// command runs: System.CommandLine registers its handlers only once the command first yields, so a SIGTERM sent right
/// after a command printed that it was ready could kill the process outright.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<int> _forced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _grace;
    private readonly TimeProvider _time;
    private readonly PosixSignalRegistration? _interrupt;
    private readonly PosixSignalRegistration? _terminate;
    private int _signals;

    /// <param name="grace">How long a command may drain after the first signal.</param>
    /// <param name="listen">False leaves the process's signals alone; <see cref="Receive"/> then stands in for them.</param>
    /// <param name="time">The clock the grace period runs on; the system clock when null.</param>
    public TerminationSignals(TimeSpan grace, bool listen = true, TimeProvider? time = null)
    {
        _grace = grace;
        _time = time ?? TimeProvider.System;
        if (listen)
        {
            _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        }
    }

    /// <summary>Runs <paramref name="command"/> with a token the first signal cancels; returns its exit code, or 128 + signal when it overstays.</summary>
    public async Task<int> RunAsync(Func<CancellationToken, Task<int>> command)
    {
        Task<int> run = command(_stop.Token);
        Task<int> first = await Task.WhenAny(run, _forced.Task).ConfigureAwait(false);
        return await first.ConfigureAwait(false);
    }

    public void Dispose()
    {
        _interrupt?.Dispose();
        _terminate?.Dispose();
        _stop.Dispose();
    }

    /// <summary>Exit code of a process ended by <paramref name="signal"/>, as a shell reports it.</summary>
    internal static int ExitCode(PosixSignal signal) => signal == PosixSignal.SIGINT ? 130 : 143;

    /// <summary>A signal arrived: the first cancels the command and starts the grace period, a second ends it now.</summary>
    internal void Receive(PosixSignal signal)
    {
        int exit = ExitCode(signal);
        if (Interlocked.Increment(ref _signals) > 1)
        {
            _forced.TrySetResult(exit);
            return;
        }

        // Cancellation callbacks run on the pool: the runtime's signal thread must not run the command's drain.
        _ = _stop.CancelAsync();
        _ = Task.Delay(_grace, _time).ContinueWith(_ => _forced.TrySetResult(exit), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Receive(context.Signal);
    }
}
