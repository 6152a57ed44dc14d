using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Perf.Migrate;

/// <summary>
/// The BigQuery Storage emulator in a child process (this tool again, <c>serve-bigquery</c>), so its CPU is not the
/// client's: it serves two synthetic tables, <see cref="Table"/> with the timed rows and <see cref="WarmTable"/> with
/// the warm-up rows, and lives until its standard input closes (with this process, whatever way it ends).
/// </summary>
internal sealed class BigQueryServer : IAsyncDisposable
{
    public const string Project = "perf";
    public const string Dataset = "perf";
    public const string Table = "projects/perf/datasets/perf/tables/rows";
    public const string WarmTable = "projects/perf/datasets/perf/tables/warm";
    private const string EndpointPrefix = "endpoint ";

    private readonly Process _process;

    private BigQueryServer(Process process, string endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public string Endpoint { get; }

    public int ProcessId => _process.Id;

    public GrpcChannel CreateChannel() =>
        GrpcChannel.ForAddress(new Uri("http://" + Endpoint), new GrpcChannelOptions { MaxReceiveMessageSize = null });

    public static async Task<BigQueryServer> StartAsync(long rows, long warmUpRows, int features)
    {
        // Under `dotnet X.dll` the process is dotnet itself and the tool is the entry assembly.
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BigQueryServer).Assembly.Location);
        }

        foreach (string arg in (string[])["serve-bigquery", "--rows", Text(rows), "--warmup-rows", Text(warmUpRows), "--features", Text(features)])
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host} serve-bigquery.");
        string? line = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false);
        if (line is null || !line.StartsWith(EndpointPrefix, StringComparison.Ordinal))
        {
            process.Kill();
            process.Dispose();
            throw new InvalidOperationException($"serve-bigquery did not print its endpoint; it printed '{line}'.");
        }

        return new BigQueryServer(process, line[EndpointPrefix.Length..]);
    }

    /// <summary>The child's side: serves the tables, prints the endpoint, waits for standard input to close.</summary>
    public static async Task<int> ServeAsync(MigrateArguments args)
    {
        await using BigQueryStorageEmulator emulator = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), CancellationToken.None).ConfigureAwait(false);
        emulator.AddTable(Project, Dataset, "rows", new SyntheticSource(new SyntheticSourceOptions { Rows = args.Rows, Features = args.Features }));
        emulator.AddTable(Project, Dataset, "warm", new SyntheticSource(new SyntheticSourceOptions { Rows = args.WarmUpRows, Features = args.Features }));
        await Console.Out.WriteLineAsync(EndpointPrefix + emulator.Endpoint).ConfigureAwait(false);
        await Console.Out.FlushAsync().ConfigureAwait(false);
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
