using Google.Cloud.Bigtable.V2;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Emulators;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Perf.Serve;

/// <summary>
/// <c>serve</c>: reads of the same pre-drawn batches (1, 10 and 100 keys) from one table in cbtemulator through a
/// bare loop of pre-built ReadRows, FeatureReader in process and, with <c>--cli</c>, <c>streamingfeatures serve</c>
/// over gRPC and REST; closed loop for throughput, then open loop at half the bare loop's peak for latency, each in
/// ABBA order. Prints one JSON object; progress goes to stderr.
/// </summary>
internal static partial class ServeCommand
{
    private static readonly int[] BatchSizes = [1, 10, 100];

    public static async Task<int> RunAsync(ServeArguments args)
    {
        string? loadAverage = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg").ConfigureAwait(false)).Trim() : null;
        Log($"load average at start: {loadAverage ?? "unknown"}");
        await using Emulator bigtable = await Emulator.StartAsync(EmulatorKind.Bigtable, new EmulatorOptions()).ConfigureAwait(false);
        if (bigtable.ProcessId is not { } bigtablePid)
        {
            await Console.Error.WriteLineAsync("serve measures cbtemulator's CPU apart, so it starts its own: unset BIGTABLE_EMULATOR_HOST.").ConfigureAwait(false);
            return 2;
        }

        using GrpcChannel channel = bigtable.CreateChannel();
        await using ServeTable table = await ServeTable.LoadAsync(channel, args.Entities, args.Features).ConfigureAwait(false);
        Log($"cbtemulator at {bigtable.Endpoint} (process {bigtablePid}); {args.Entities} entities × {args.Features} features loaded into {table.Name}");

        // One as-of time for every variant, so all read the same cells with the same filter.
        DateTimeOffset asOf = DateTimeOffset.UtcNow;
        var reader = new FeatureReader(new BigtableTarget(channel.CreateCallInvoker(), table.Name), table.FeatureSet, metrics: new ServingMetrics());
        RowFilter filter = ReadFilter.Build(
            [.. table.FeatureSet.Features.Select(f => ServedFeature.From(f, table.FeatureSet))], ReadFilter.AsOfMicros(asOf), [.. table.FeatureSet.Families.Keys]);
        ServeKeys[] keySets = [.. BatchSizes.Select(size => ServeKeys.Draw(size, args.Entities))];
        var readerVariant = new ReaderVariant(reader, asOf);
        foreach (ServeKeys keys in keySets)
        {
            readerVariant.Prepare(keys);
        }

        List<IReadVariant> variants = [new BareReadVariant(channel, reader, table.Name, filter, keySets), readerVariant];
        ServeProcess? service = null;
        GrpcChannel? serviceChannel = null;
        HttpClient? http = null;
        try
        {
            if (args.Cli is { } cli)
            {
                service = await ServeProcess.StartAsync(cli, table.FeatureSetFile, bigtable.Endpoint, args.ServeEnv).ConfigureAwait(false);
                Log($"streamingfeatures serve (process {service.ProcessId}): gRPC on {service.GrpcPort}, REST on {service.RestPort}");
                serviceChannel = service.CreateGrpcChannel();
                http = service.CreateHttpClient();
                variants.Add(new GrpcVariant(serviceChannel, table.FeatureSet.Table, asOf, keySets));
                variants.Add(new RestVariant(http, table.FeatureSet.Table, asOf, keySets));
            }

            var run = new Run(args, variants, bigtablePid, service?.ProcessId);
            await run.WarmUpAsync(keySets).ConfigureAwait(false);
            var batches = new List<ServeBatchReport>();
            foreach (ServeKeys keys in keySets)
            {
                batches.Add(await run.BatchAsync(keys).ConfigureAwait(false));
            }

            ServeReport report = Report(args, loadAverage, batches, service is not null);
            await ReportJson.WriteAsync(report, args.Output).ConfigureAwait(false);

            return 0;
        }
        finally
        {
            http?.Dispose();
            serviceChannel?.Dispose();
            if (service is not null)
            {
                await service.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static ServeReport Report(ServeArguments args, string? loadAverage, List<ServeBatchReport> batches, bool withService)
    {
        var options = new FeatureReaderOptions();
        return new ServeReport
        {
            Rows = args.Entities,
            Features = args.Features,
            WarmUpRows = 0,
            LoadAverageAtStart = loadAverage,
            Settings = new ServeSettings(
                args.Concurrency,
                args.Seconds,
                options.SubBatchKeys,
                options.Concurrency,
                "SyntheticSource: features alternate int64, float64, bool and 16-byte string; one row per entity, written by IngestionPipeline",
                "cbtemulator (gcloud SDK), a child process",
                withService ? "streamingfeatures serve (--cli), a child process on loopback" + (args.ServeEnv.Count > 0 ? $", environment {string.Join(' ', args.ServeEnv)}" : "") : null),
            Batches = batches,
            GoalInProcessAtLeast90Percent = batches.All(b => b.Variants["featureReader"].RatioToBare >= 0.9),
            GoalGrpcAtLeast80Percent = withService ? batches.All(b => b.Variants["grpc"].RatioToBare >= 0.8) : null,
        };
    }

    private static void Log(string line) => Console.Error.WriteLine($"[perf {DateTime.UtcNow:HH:mm:ss}] {line}");
}
