using Grpc.Core;
using Grpc.Net.Client;

namespace StreamingFeatures.Emulators;

/// <summary>
/// A running official emulator on loopback: either started here (and ended on dispose) or one that already runs,
/// named by <c>BIGTABLE_EMULATOR_HOST</c> / <c>PUBSUB_EMULATOR_HOST</c> (left running on dispose).
/// </summary>
public sealed class Emulator : IAsyncDisposable
{
    private const string LoopbackHost = "127.0.0.1";
    private const int PortAttempts = 3;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    private readonly EmulatorProcess? _process;

    private Emulator(EmulatorKind kind, string endpoint, EmulatorProcess? process)
    {
        Kind = kind;
        Endpoint = endpoint;
        _process = process;
    }

    public EmulatorKind Kind { get; }

    /// <summary><c>host:port</c>, in the form the <c>*_EMULATOR_HOST</c> variables take.</summary>
    public string Endpoint { get; }

    /// <summary>True when this emulator was already running (from the environment) and is not ours to stop.</summary>
    public bool IsExternal => _process is null;

    /// <summary>The process id of an emulator started here; null for an external one.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>The last lines the emulator printed (empty for an external one).</summary>
    public string RecentOutput => _process?.Output.ToString() ?? string.Empty;

    /// <summary>A plaintext HTTP/2 channel to the emulator; the caller disposes it.</summary>
    public GrpcChannel CreateChannel() => CreateChannel(Endpoint);

    internal static GrpcChannel CreateChannel(string endpoint) =>
        GrpcChannel.ForAddress("http://" + endpoint, new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure });

    /// <summary>
    /// Returns a running emulator that answers requests: the one named by the kind's environment variable when set
    /// (and <see cref="EmulatorOptions.UseEnvironmentHost"/>), else a new process on a free loopback port.
    /// </summary>
    /// <exception cref="EmulatorNotInstalledException">The emulator or its Java runtime is not installed.</exception>
    /// <exception cref="EmulatorStartException">It did not answer within <see cref="EmulatorOptions.StartTimeout"/>.</exception>
    public static Task<Emulator> StartAsync(EmulatorKind kind, EmulatorOptions? options = null, CancellationToken cancellationToken = default) =>
        StartAsync(EmulatorSpec.For(kind), options ?? new EmulatorOptions(), EmulatorLocator.System, Environment.GetEnvironmentVariable, cancellationToken);

    internal static async Task<Emulator> StartAsync(
        EmulatorSpec spec,
        EmulatorOptions options,
        EmulatorLocator locator,
        Func<string, string?> environment,
        CancellationToken cancellationToken)
    {
        options.Validate();
        string? fromEnvironment = options.UseEnvironmentHost ? environment(spec.HostVariable) : null;
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            string endpoint = EmulatorHost.Parse(spec.HostVariable, fromEnvironment);
            var external = new Emulator(spec.Kind, endpoint, process: null);
            await external.WaitUntilAnsweringAsync(spec, options.StartTimeout, $"{spec.HostVariable}={fromEnvironment}", cancellationToken).ConfigureAwait(false);
            return external;
        }

        string executable = locator.Locate(spec, options.ExecutablePath);
        for (int attempt = 1; ; attempt++)
        {
            int port = LoopbackPort.Free();
            var process = EmulatorProcess.Start(executable, spec.Arguments(LoopbackHost, port), options);
            var emulator = new Emulator(spec.Kind, $"{LoopbackHost}:{port}", process);
            try
            {
                await emulator.WaitUntilAnsweringAsync(spec, options.StartTimeout, executable, cancellationToken).ConfigureAwait(false);
                return emulator;
            }
            catch (EmulatorStartException) when (attempt < PortAttempts && process.Output.Contains("address already in use"))
            {
                await emulator.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await emulator.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    public ValueTask DisposeAsync() => _process?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Leaves an emulator started here running after this process ends (dispose no longer stops it).</summary>
    public void Release() => _process?.Release();

    private async Task WaitUntilAnsweringAsync(EmulatorSpec spec, TimeSpan timeout, string source, CancellationToken cancellationToken)
    {
        using GrpcChannel channel = CreateChannel();
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(timeout);
        RpcException? last = null;
        while (!overall.IsCancellationRequested)
        {
            if (_process is { HasExited: true })
            {
                await _process.WaitForOutputAsync().ConfigureAwait(false);
                throw new EmulatorStartException(
                    $"The {spec.DisplayName} ({source}) exited with code {_process.ExitCode} before answering on {Endpoint}. Its output:{Environment.NewLine}{RecentOutput}");
            }

            try
            {
                await spec.Probe(channel, TimeProvider.System.GetUtcNow().UtcDateTime + ProbeTimeout, overall.Token).ConfigureAwait(false);
                return;
            }
            catch (RpcException e) when (EmulatorSpec.Answered(e))
            {
                return;
            }
            catch (RpcException e)
            {
                last = e;
            }
            catch (OperationCanceledException)
            {
            }

            // Task.Delay ends early on cancellation; the loop condition then decides.
            await Task.Delay(ProbeInterval, TimeProvider.System, overall.Token).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new EmulatorStartException(
            $"The {spec.DisplayName} ({source}) did not answer on {Endpoint} within {timeout.TotalSeconds:0.#} s"
            + (last is null ? "." : $"; last error: {last.Status.StatusCode} {last.Status.Detail}.")
            + (IsExternal ? string.Empty : $" Its output:{Environment.NewLine}{RecentOutput}"));
    }
}
