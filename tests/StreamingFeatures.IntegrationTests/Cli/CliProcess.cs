using System.Diagnostics;
using System.Text;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// The CLI the build copied beside the tests, run as a process the way a user or a container runs it: in its own
/// working directory, with exactly the emulator variables the test gives (none inherited from the test host), its
/// output captured line by line so a test can watch it while it runs, and killable with SIGKILL.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    public const string BigtableHostVariable = "BIGTABLE_EMULATOR_HOST";
    public const string BigQueryHostVariable = "BIGQUERY_STORAGE_EMULATOR_HOST";
    public const string PubSubHostVariable = "PUBSUB_EMULATOR_HOST";

    private static readonly TimeSpan s_defaultTimeout = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();
    private readonly Lock _lock = new();

    private CliProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code; 137 (128 + SIGKILL) after <see cref="Kill"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Standard output and error so far, interleaved in arrival order.</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="workingDirectory">The child's current directory (default checkpoints and dead letters go there).</param>
    /// <param name="arguments">Everything after <c>streamingfeatures</c>.</param>
    /// <param name="environment">Variables to set; the emulator host variables are removed unless given here.</param>
    /// <param name="ownProcessGroup">Run in a process group of its own, as a shell runs a job, for <see cref="InterruptGroupAsync"/>.</param>
    public static CliProcess Start(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, bool ownProcessGroup = false)
    {
        var start = new ProcessStartInfo(ownProcessGroup ? "setsid" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        if (ownProcessGroup)
        {
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "StreamingFeatures.Cli.dll"));
        foreach (string argument in ForPeople(arguments.ToList()))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove(BigtableHostVariable);
        start.Environment.Remove(BigQueryHostVariable);
        start.Environment.Remove(PubSubHostVariable);
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.OnLine(e.Data, standardOutput: true);
        process.ErrorDataReceived += (_, e) => cli.OnLine(e.Data, standardOutput: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>
    /// Redirected, the commands print JSON lines; the tests read the lines people read, so they get
    /// <c>--log-format simple</c> unless they choose a format themselves (ingest keeps its redirected default: its tests
    /// read its JSON logs).
    /// </summary>
    private static List<string> ForPeople(List<string> arguments)
    {
        int command = arguments.Count > 0 && arguments[0] is "migrate" or "loadtest" or "verify" ? 1
            : arguments.Count > 1 && arguments[0] is "emulator" ? 2
            : 0;
        bool chosen = arguments.Any(a => a.StartsWith("--log-format", StringComparison.Ordinal) || a is "--help" or "-h" or "-?" or "--version");
        if (command == 0 || chosen)
        {
            return arguments;
        }

        // Right after the command's name, where it cannot become another option's missing value.
        return [.. arguments[..command], "--log-format", "simple", .. arguments[command..]];
    }

    /// <summary>Starts the CLI and waits for its exit code and whole output.</summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        using CliProcess cli = Start(workingDirectory, arguments, environment);
        return await cli.WaitAsync(cancellationToken);
    }

    /// <summary>Waits for the exit (killing the process after <paramref name="timeout"/>) and returns code and output.</summary>
    public async Task<CliResult> WaitAsync(CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? s_defaultTimeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(entireProcessTree: true);
            throw new TimeoutException($"The CLI did not exit in time; its output:{Environment.NewLine}{Output}");
        }

        // Without a timeout, this waits for the redirected streams to reach their end.
        _process.WaitForExit();
        string standardOutput;
        lock (_lock)
        {
            standardOutput = _standardOutput.ToString();
        }

        return new CliResult(_process.ExitCode, Output, standardOutput);
    }

    /// <summary>
    /// Polls until <paramref name="condition"/> holds; fails when the process exits first or time runs out.
    /// </summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (_process.HasExited)
            {
                throw new AssertFailedException($"The CLI exited ({_process.ExitCode}) before {what}; its output:{Environment.NewLine}{Output}");
            }

            if (clock.Elapsed > timeout)
            {
                Kill(entireProcessTree: true);
                throw new AssertFailedException($"No {what} within {timeout.TotalSeconds:0} s; the CLI's output:{Environment.NewLine}{Output}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>SIGTERM, as Kubernetes sends to stop a pod (or a second one, to cut a drain short).</summary>
    public async Task TerminateAsync(CancellationToken cancellationToken)
    {
        using Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync(cancellationToken);
        Assert.AreEqual(0, kill.ExitCode, "kill -TERM");
    }

    /// <summary>SIGINT to the CLI's whole process group, as Ctrl+C in a terminal sends it (needs <c>ownProcessGroup</c>).</summary>
    public async Task InterruptGroupAsync(CancellationToken cancellationToken)
    {
        using Process kill = Process.Start("kill", ["-INT", "--", "-" + _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync(cancellationToken);
        Assert.AreEqual(0, kill.ExitCode, "kill -INT to the process group");
    }

    /// <summary>
    /// SIGKILL, as the OOM killer or a node loss would: no handler runs, nothing is flushed. With
    /// <paramref name="entireProcessTree"/> false the emulators the CLI started live on, orphaned.
    /// </summary>
    public void Kill(bool entireProcessTree)
    {
        try
        {
            _process.Kill(entireProcessTree);
            _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }
    }

    public void Dispose()
    {
        Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void OnLine(string? line, bool standardOutput)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.AppendLine(line);
            if (standardOutput)
            {
                _standardOutput.AppendLine(line);
            }
        }
    }
}

/// <summary>How a CLI run ended: its exit code, standard output and error interleaved, and standard output alone.</summary>
internal readonly record struct CliResult(int Code, string Output, string StandardOutput = "");
