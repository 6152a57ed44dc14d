using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Cli.Serve;

/// <summary>The serve command's flags, checked together before anything connects or listens.</summary>
internal sealed record ServeSettings
{
    public const int MaxPort = 65_535;

    public required IReadOnlyList<FileInfo> FeatureSetFiles { get; init; }

    public string? Project { get; init; }

    public string? Instance { get; init; }

    public string? AppProfile { get; init; }

    public string? CredentialsFile { get; init; }

    public int HttpPort { get; init; } = 8080;

    public int GrpcPort { get; init; } = 8081;

    public int MaxBatchKeys { get; init; } = FeatureReaderLimits.MaxBatchKeys.Default;

    public TimeSpan Timeout { get; init; } = FeatureReaderLimits.Timeout.Default;

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public bool DryRun { get; init; }

    public bool Local { get; init; }

    public long SampleRows { get; init; } = ServeLocal.DefaultSampleRows;

    /// <summary>On the emulator: no project named, or <c>--local</c>.</summary>
    public bool OnEmulator => Local || Project is null;

    /// <summary>Every problem, one line each naming the flag, its value and what is allowed.</summary>
    public IReadOnlyList<string> Problems(Func<string, string?> environment)
    {
        var problems = new List<string>();
        foreach ((string flag, int port) in (ReadOnlySpan<(string, int)>)[("--port", HttpPort), ("--grpc-port", GrpcPort)])
        {
            if (port is < 0 or > MaxPort)
            {
                problems.Add(Invariant($"{flag} is {port}; allowed 1 to {MaxPort}, or 0 for any free port."));
            }
        }

        if (HttpPort != 0 && HttpPort == GrpcPort)
        {
            problems.Add(Invariant($"--grpc-port is {GrpcPort}, the same as --port; allowed another port: Kestrel cannot serve HTTP/2 cleartext gRPC and HTTP/1.1 on one port."));
        }

        if (MaxBatchKeys < FeatureReaderLimits.MaxBatchKeys.Min || MaxBatchKeys > FeatureReaderLimits.MaxBatchKeys.Max)
        {
            problems.Add(Invariant($"--max-batch-keys is {MaxBatchKeys}; allowed {FeatureReaderLimits.MaxBatchKeys.Min} to {FeatureReaderLimits.MaxBatchKeys.Max}."));
        }

        if (Local && FeatureSetFiles.Count > 0)
        {
            problems.Add($"--feature-set is '{FeatureSetFiles[0]}' with --local; allowed one of them: --local serves the sample table of an emulator it starts and fills.");
        }

        if (Local && Project is not null)
        {
            problems.Add($"--project is '{Project}' with --local; allowed one of them: --local serves the sample from an emulator it starts.");
        }
        else if (!Local && FeatureSetFiles.Count == 0)
        {
            problems.Add("--feature-set is missing; allowed: one or more feature set files (JSON or YAML), or --local to serve the sample.");
        }

        if (Project is not null && Instance is null)
        {
            problems.Add($"--instance is missing; with --project '{Project}', name the Bigtable instance that holds the tables.");
        }

        if (OnEmulator && !Local)
        {
            if (OutputChecks.EndpointVariableProblem(BigtableConnectionOptions.EmulatorHostVariable, environment) is { } endpoint)
            {
                problems.Add(endpoint);
            }
            else if (environment(BigtableConnectionOptions.EmulatorHostVariable) is null)
            {
                problems.Add($"--project is missing; allowed: --project and --instance for Cloud Bigtable, {BigtableConnectionOptions.EmulatorHostVariable} naming the emulator that holds the tables, or --local.");
            }
        }

        return problems;
    }

    /// <summary>The port to listen on: <paramref name="port"/>, or a free one the system picks when it is 0.</summary>
    public static int Resolve(int port)
    {
        if (port != 0)
        {
            return port;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
