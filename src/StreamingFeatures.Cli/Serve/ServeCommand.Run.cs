using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.GoogleCloud;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Cli.Serve;

internal static partial class ServeCommand
{
    private static async Task<int> RunAsync(ServeSettings settings)
    {
        List<string> problems = [.. settings.Problems(Environment.GetEnvironmentVariable)];
        string? problem = null;
        List<FeatureSetOptions>? featureSets = problems.Count == 0 ? Load(settings, out problem) : null;
        if (featureSets is null)
        {
            return MigrationRunner.BadInput(string.Join(Environment.NewLine + "error: ", problems.Count > 0 ? problems : [problem!]));
        }

        if (settings.DryRun)
        {
            string from = settings.Local ? "the sample on a Bigtable emulator started for it" : settings.Project is { } project ? $"Bigtable instance projects/{project}/instances/{settings.Instance}" : $"the emulator at {Environment.GetEnvironmentVariable(BigtableConnectionOptions.EmulatorHostVariable)}";
            Console.WriteLine($"Dry run: would serve {featureSets.Count} feature set(s) ({string.Join(", ", featureSets.Select(f => f.Table))}) from {from}; REST, health and metrics on port {settings.HttpPort}, gRPC on port {settings.GrpcPort}; nothing was started.");
            return ExitCodes.Success;
        }

        await using LocalBigtable? local = settings.Local ? await LocalBigtable.StartAsync(null, CancellationToken.None).ConfigureAwait(false) : null;
        var connection = new BigtableConnectionOptions
        {
            EmulatorHost = local?.Endpoint ?? (settings.OnEmulator ? Environment.GetEnvironmentVariable(BigtableConnectionOptions.EmulatorHostVariable) : null),
            Project = settings.Project ?? "local",
            Instance = settings.Instance ?? "local",
            AppProfileId = settings.AppProfile,
            CredentialsFile = settings.CredentialsFile,
        };
        BigtableConnection bigtable;
        try
        {
            bigtable = await BigtableConnection.ConnectAsync(connection).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CredentialsException or ConnectionSettingsException)
        {
            return MigrationRunner.BadInput(e.Message);
        }

        using (bigtable)
        {
            if (settings.Local)
            {
                try
                {
                    await ServeLocal.LoadAsync(bigtable, settings.SampleRows, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is InvalidOperationException or RpcException or CallGaveUpException)
                {
                    Console.Error.WriteLine($"error: could not load the sample into the local Bigtable emulator: {e.Message}");
                    return ExitCodes.Failure;
                }
            }

            return await ServeAsync(settings, featureSets, bigtable).ConfigureAwait(false);
        }
    }

    private static async Task<int> ServeAsync(ServeSettings settings, List<FeatureSetOptions> featureSets, BigtableConnection bigtable)
    {
        int http = ServeSettings.Resolve(settings.HttpPort);
        int grpc = ServeSettings.Resolve(settings.GrpcPort);
        while (grpc == http)
        {
            grpc = ServeSettings.Resolve(0);
        }

        await using WebApplication app = ServeHost.Build(settings, featureSets, bigtable, http, grpc);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return MigrationRunner.BadInput($"--port is {http} and --grpc-port {grpc}; cannot listen there: {e.Message.TrimEnd('.')}. Allowed: free ports, or 0 for any free one.");
        }

        if (settings.Local)
        {
            foreach (string line in ServeLocal.Lines(settings.SampleRows, http, grpc))
            {
                Console.WriteLine(line);
            }
        }

        string host = settings.Local ? "127.0.0.1" : "0.0.0.0";
        Console.WriteLine($"Serving {featureSets.Count} feature set(s) ({string.Join(", ", featureSets.Select(f => f.Table))}): REST http://{host}:{http}/v1/featureSets, gRPC {host}:{grpc}, health http://{host}:{http}{ServeReadinessCheck.ReadyPath}, metrics http://{host}:{http}/metrics. Ready.");
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        int left = app.Services.GetRequiredService<ServeState>().Unanswered;
        if (left > 0)
        {
            Console.Error.WriteLine($"error: {left} request(s) were still in flight or cut off when --drain-timeout {settings.DrainTimeout.TotalSeconds:0.###} s ended.");
            return ExitCodes.Failure;
        }

        Console.WriteLine("Stopped: every request in flight was answered.");
        return ExitCodes.Success;
    }

    /// <summary>The feature sets served (the sample's with --local), or null and the problem with them.</summary>
    private static List<FeatureSetOptions>? Load(ServeSettings settings, out string? problem)
    {
        problem = ServedFeatureSets.TryLoad(settings.FeatureSetFiles, out List<FeatureSetOptions> featureSets);
        if (problem is not null)
        {
            return null;
        }

        if (settings.Local)
        {
            featureSets.Add(ServeLocal.FeatureSet(settings.SampleRows));
        }

        problem = featureSets.FirstOrDefault(f => f.RowKey.ReversedTimeSuffix) is { } timeSeries
            ? $"--feature-set of table '{timeSeries.Table}' has rowKey.reversedTimeSuffix; allowed: feature sets with one row per entity (serving reads the latest values, not a time series)."
            : null;
        try
        {
            ServeHost.ReaderOptions(settings).Validate();
        }
        catch (ArgumentException e)
        {
            problem ??= e.Message;
        }

        return problem is null ? featureSets : null;
    }
}
