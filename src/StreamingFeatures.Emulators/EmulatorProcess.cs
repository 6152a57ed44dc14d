using System.Diagnostics;

namespace StreamingFeatures.Emulators;

/// <summary>
/// One emulator process: started with its output captured, and always ended — on dispose, and on process exit
/// (SIGTERM, Ctrl+C, a test host shutting down) when nobody disposed it.
/// </summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly OutputTail _output;
    private readonly Action<string>? _forward;
    private int _disposed;

    private EmulatorProcess(Process process, OutputTail output, Action<string>? forward)
    {
        _process = process;
        _output = output;
        _forward = forward;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public OutputTail Output => _output;

    public static EmulatorProcess Start(string executable, IEnumerable<string> arguments, EmulatorOptions options)
    {
        // setsid execs the emulator in place (a child is never a process-group leader), so the pid stays the emulator's.
        string? setsid = options.OwnSession ? new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists) : null;
        var start = new ProcessStartInfo(setsid ?? executable, setsid is null ? arguments : arguments.Prepend(executable))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach ((string name, string value) in options.Environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var emulator = new EmulatorProcess(process, new OutputTail(options.OutputLinesKept), options.OutputLine);
        process.OutputDataReceived += (_, e) => emulator.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => emulator.OnLine(e.Data);
        process.Start();
        AppDomain.CurrentDomain.ProcessExit += emulator.OnHostExit;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return emulator;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnHostExit;
        Kill();
        using var timeout = new CancellationTokenSource(ExitWait);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The kill was sent; a process that ignores SIGKILL for 10 s is beyond our reach.
        }

        _process.Dispose();
    }

    /// <summary>Lets the process outlive this one: it is no longer ended on dispose or on process exit.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit -= OnHostExit;
            _process.Dispose();
        }
    }

    private void OnHostExit(object? sender, EventArgs e) => Kill();

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Add(line);
        try
        {
            _forward?.Invoke(line);
        }
#pragma warning disable CA1031 // A log sink that throws (a finished test's context) must not break output capture.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
