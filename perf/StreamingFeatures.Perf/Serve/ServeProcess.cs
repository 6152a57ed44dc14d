using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Serving.V1;

namespace StreamingFeatures.Perf.Serve;

/// <summary>
/// <c>streamingfeatures serve</c> in a child process (the built CLI given by <c>--cli</c>), on the emulator through
/// BIGTABLE_EMULATOR_HOST, REST and gRPC on free loopback ports; ready once ListFeatureSets answers. Killed on dispose.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServeProcess(Process process, int restPort, int grpcPort)
    {
        _process = process;
        RestPort = restPort;
        GrpcPort = grpcPort;
    }

    public int ProcessId => _process.Id;

    public int RestPort { get; }

    public int GrpcPort { get; }

    public GrpcChannel CreateGrpcChannel() => GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{GrpcPort}"), new GrpcChannelOptions { MaxReceiveMessageSize = null });

    public HttpClient CreateHttpClient() => new(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{RestPort}"),
    };

    public static async Task<ServeProcess> StartAsync(string cli, string featureSetFile, string bigtableEndpoint, IReadOnlyList<string> environment)
    {
        int restPort = FreePort();
        int grpcPort = FreePort();
        bool dll = cli.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(dll ? "dotnet" : cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (dll)
        {
            start.ArgumentList.Add(cli);
        }

        foreach (string arg in (string[])["serve", "--feature-set", featureSetFile, "--port", Text(restPort), "--grpc-port", Text(grpcPort)])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["BIGTABLE_EMULATOR_HOST"] = bigtableEndpoint;
        foreach (string pair in environment)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            start.Environment[pair[..equals]] = pair[(equals + 1)..];
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {cli} serve.");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var served = new ServeProcess(process, restPort, grpcPort);
        using GrpcChannel channel = served.CreateGrpcChannel();
        var client = new FeatureService.FeatureServiceClient(channel);
        long started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                await client.ListFeatureSetsAsync(new ListFeatureSetsRequest(), deadline: DateTime.UtcNow.AddSeconds(2)).ConfigureAwait(false);
                return served;
            }
            catch (RpcException) when (!process.HasExited && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(250).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                await served.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"{cli} serve did not answer ListFeatureSets on port {grpcPort} ({e.StatusCode}); its last output:{Environment.NewLine}{string.Join(Environment.NewLine, output)}", e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 40 && output.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
