using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using HdrHistogram;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Emulators;
using StreamingFeatures.Perf.Pipeline;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Perf.Serve;

/// <summary>
/// <c>serve-tuning</c>: FeatureReader's <see cref="FeatureReaderOptions.SubBatchKeys"/> × <see cref="FeatureReaderOptions.Concurrency"/>
/// for batches of 100 and 1,000 keys against cbtemulator. Each setting runs alone (one read at a time: its latency)
/// and under load (<c>--concurrency</c> reads at a time: its throughput), every setting twice in ABBA order.
/// </summary>
internal static class ServeTuning
{
    private static readonly int[] BatchSizes = [100, 1_000];
    private static readonly int[] SubBatches = [25, 50, 100, 200];
    private static readonly int[] Concurrencies = [1, 4, 8, 16];

    private sealed record Setting(int BatchKeys, int SubBatchKeys, int Concurrency);

    private sealed record Figures(long Keys, TimeSpan Elapsed, TimeSpan Cpu, LongHistogram Latency)
    {
        public Figures Plus(Figures other)
        {
            Latency.Add(other.Latency);
            return new Figures(Keys + other.Keys, Elapsed + other.Elapsed, Cpu + other.Cpu, Latency);
        }
    }

    internal sealed record TuningResult(
        int BatchKeys, int SubBatchKeys, int Concurrency, double AloneKeysPerSecond, double AloneP50Ms, double AloneP99Ms, double LoadedKeysPerSecond, double LoadedP99Ms, double LoadedClientCpuMicrosPerKey);

    internal sealed record TuningReport(string Date, string? LoadAverageAtStart, MachineInfo Machine, long Entities, int Features, int LoadedReads, double SecondsPerRun, IReadOnlyList<TuningResult> Results);

    public static async Task<int> RunAsync(ServeArguments args)
    {
        string? loadAverage = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg").ConfigureAwait(false)).Trim() : null;
        await using Emulator bigtable = await Emulator.StartAsync(EmulatorKind.Bigtable, new EmulatorOptions()).ConfigureAwait(false);
        using GrpcChannel channel = bigtable.CreateChannel();
        await using ServeTable table = await ServeTable.LoadAsync(channel, args.Entities, args.Features).ConfigureAwait(false);
        var target = new BigtableTarget(channel.CreateCallInvoker(), table.Name);
        DateTimeOffset asOf = DateTimeOffset.UtcNow;
        Dictionary<int, EntityKey[][]> batches = BatchSizes.ToDictionary(size => size, size => ServeKeys.Draw(size, args.Entities, 512).Batches.Select(b => b.Select(id => new EntityKey(id)).ToArray()).ToArray());
        Setting[] settings = [.. from b in BatchSizes from s in SubBatches from c in Concurrencies select new Setting(b, s, c)];
        TimeSpan half = args.RunTime / 2;

        var alone = new Dictionary<Setting, Figures>();
        var loaded = new Dictionary<Setting, Figures>();
        foreach (Setting setting in settings.Concat(settings.Reverse()))
        {
            // Generous deadlines: on a loaded 2-core machine a 1,000-key read under load passed the default 5 s (and
            // an attempt the 1 s), and a retried sub-batch would time the retry policy, not the setting.
            var reader = new FeatureReader(target, table.FeatureSet, new FeatureReaderOptions
            {
                SubBatchKeys = setting.SubBatchKeys,
                Concurrency = setting.Concurrency,
                Timeout = TimeSpan.FromMinutes(1),
                Retry = FeatureReaderOptions.DefaultRetry with { AttemptTimeout = TimeSpan.FromSeconds(50), Deadline = TimeSpan.FromMinutes(1) },
            });
            EntityKey[][] keys = batches[setting.BatchKeys];
            await ClosedAsync(reader, keys, asOf, 2, TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
            Add(alone, setting, await ClosedAsync(reader, keys, asOf, 1, half).ConfigureAwait(false));
            Add(loaded, setting, await ClosedAsync(reader, keys, asOf, args.Concurrency, half).ConfigureAwait(false));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[perf {DateTime.UtcNow:HH:mm:ss}] {setting}: alone p50 {Ms(alone[setting].Latency, 50)} ms, loaded {loaded[setting].Keys / loaded[setting].Elapsed.TotalSeconds:0} keys/s"));
        }

        TuningResult[] results = [.. settings.Select(s => Result(s, alone[s], loaded[s]))];
        var report = new TuningReport(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), loadAverage, MachineInfo.Current(), args.Entities, args.Features, args.Concurrency, args.Seconds, results);
        await ReportJson.WriteAsync(report, args.Output).ConfigureAwait(false);

        return 0;
    }

    private static void Add(Dictionary<Setting, Figures> all, Setting setting, Figures figures) =>
        all[setting] = all.TryGetValue(setting, out Figures? first) ? first.Plus(figures) : figures;

    private static TuningResult Result(Setting s, Figures alone, Figures loaded) => new(
        s.BatchKeys,
        s.SubBatchKeys,
        s.Concurrency,
        Math.Round(alone.Keys / alone.Elapsed.TotalSeconds),
        Ms(alone.Latency, 50),
        Ms(alone.Latency, 99),
        Math.Round(loaded.Keys / loaded.Elapsed.TotalSeconds),
        Ms(loaded.Latency, 99),
        Math.Round(loaded.Cpu.TotalSeconds * 1e6 / loaded.Keys, 3));

    private static double Ms(LongHistogram micros, double percentile) => Math.Round(micros.GetValueAtPercentile(percentile) / 1000.0, 3);

    /// <summary><paramref name="reads"/> callers, each reading its next batch when the last is answered; every read's latency kept.</summary>
    private static async Task<Figures> ClosedAsync(FeatureReader reader, EntityKey[][] batches, DateTimeOffset asOf, int reads, TimeSpan duration)
    {
        GC.Collect();
        var latency = LoadDriver.NewHistogram();
        long next = -1;
        long keys = 0;
        TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        long started = Stopwatch.GetTimestamp();

        async Task CallerAsync()
        {
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                EntityKey[] batch = batches[Interlocked.Increment(ref next) % batches.Length];
                long sent = Stopwatch.GetTimestamp();
                await reader.ReadAsync(batch, asOf: asOf).ConfigureAwait(false);
                long micros = Stopwatch.GetElapsedTime(sent).Ticks / 10;
                lock (latency)
                {
                    latency.RecordValue(micros);
                }

                Interlocked.Add(ref keys, batch.Length);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, reads).Select(_ => Task.Run(CallerAsync))).ConfigureAwait(false);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        return new Figures(keys, elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpuStart, latency);
    }
}
