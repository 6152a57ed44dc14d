using System.Diagnostics;

namespace StreamingFeatures.Emulators;

/// <summary>
/// One emulator process: started with its output captured (through pipes, or in a file for one that may outlive
/// this process), and always ended — on dispose, and on process exit (SIGTERM, Ctrl+C, a test host shutting down)
/// when nobody disposed it, unless released.
/// </summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly OutputTail _output;
    private readonly Action<string>? _forward;
    private readonly string? _outputFile;
    private readonly int _linesKept;
    private int _disposed;

    private EmulatorProcess(Process process, OutputTail output, Action<string>? forward, string? outputFile, int linesKept)
    {
        _process = process;
        _output = output;
        _forward = forward;
        _outputFile = outputFile;
        _linesKept = linesKept;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public OutputTail Output => _outputFile is null ? _output : FileTail(_outputFile, _linesKept);

    public static EmulatorProcess Start(string executable, IEnumerable<string> arguments, EmulatorOptions options)
    {
        // setsid execs the emulator in place (a child is never a process-group leader), so the pid stays the emulator's.
        string? setsid = options.OwnSession ? new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists) : null;
        var command = new List<string>();
        if (setsid is not null)
        {
            command.Add(setsid);
        }

        command.Add(executable);
        command.AddRange(arguments);

        // The shell execs the command in place (same pid) with its output in the file and no input, so nothing the
        // emulator writes or reads depends on this process staying alive.
        if (options.OutputFile is { } file)
        {
            command = ["/bin/sh", "-c", "exec \"$@\" </dev/null >\"$0\" 2>&1", file, .. command];
        }

        var start = new ProcessStartInfo(command[0], command.Skip(1))
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
        var emulator = new EmulatorProcess(process, new OutputTail(options.OutputLinesKept), options.OutputLine, options.OutputFile, options.OutputLinesKept);
        process.OutputDataReceived += (_, e) => emulator.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => emulator.OnLine(e.Data);
        process.Start();
        AppDomain.CurrentDomain.ProcessExit += emulator.OnHostExit;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return emulator;
    }

    /// <summary>Waits (briefly) until every line of an exited process's output has been captured.</summary>
    public async Task WaitForOutputAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), TimeProvider.System);
        try
        {
            // Also waits for the redirected streams to reach their end, which lags the exit.
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // What arrived so far will do for an error message.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnHostExit;
        Kill();
        using var timeout = new CancellationTokenSource(ExitWait, TimeProvider.System);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The kill was sent; a process that ignores SIGKILL for 10 s is beyond our reach.
        }

        _process.Dispose();
        if (_outputFile is not null)
        {
            DeleteQuietly(_outputFile);
        }
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

    /// <summary>The last lines of an output file, read from its last 64 KiB; empty when it cannot be read.</summary>
    internal static OutputTail FileTail(string path, int linesKept)
    {
        var tail = new OutputTail(linesKept);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Max(0, stream.Length - (64 * 1024)), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                tail.Add(line);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Output is for error messages only: none is better than a failure hiding the real one.
        }

        return tail;
    }

    internal static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover log file is harmless.
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
