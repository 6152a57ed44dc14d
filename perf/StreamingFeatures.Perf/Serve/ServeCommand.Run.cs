using System.Globalization;
using HdrHistogram;

namespace StreamingFeatures.Perf.Serve;

internal static partial class ServeCommand
{
    /// <summary>The timed runs of one <c>serve</c>: every variant, every batch size, ABBA.</summary>
    private sealed class Run(ServeArguments args, List<IReadVariant> variants, int emulatorPid, int? serverPid)
    {
        /// <summary>Forward then backward: a steady drift of the machine hits every variant alike.</summary>
        private IEnumerable<IReadVariant> Abba => variants.Concat(Enumerable.Reverse(variants));

        /// <summary>Every variant answers the first batches right (all keys found), then runs a second untimed per batch size (JIT, pools, connections).</summary>
        public async Task WarmUpAsync(ServeKeys[] keySets)
        {
            foreach (ServeKeys keys in keySets)
            {
                foreach (IReadVariant variant in variants)
                {
                    for (int batch = 0; batch < 20; batch++)
                    {
                        int found = await variant.ReadAsync(keys, batch, CancellationToken.None).ConfigureAwait(false);
                        int expected = variant.CountsDistinct ? keys.Distinct(batch) : keys.BatchSize;
                        if (found != expected)
                        {
                            throw new InvalidOperationException($"{variant.Name} found {found} of the {expected} entities of batch {batch} ({keys.BatchSize} keys), all of which were written.");
                        }
                    }

                    await LoadDriver.ClosedAsync(variant, keys, args.Concurrency, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                }
            }

            Log("warm-up done: every variant found every key");
        }

        public async Task<ServeBatchReport> BatchAsync(ServeKeys keys)
        {
            var closed = new Dictionary<string, ServeMeasurement>();
            foreach (IReadVariant variant in Abba)
            {
                GC.Collect();
                ServeMeasurement measured = await ServeMeasurement.MeasureAsync(emulatorPid, variant is GrpcVariant or RestVariant ? serverPid : null, async () =>
                    keys.BatchSize * await LoadDriver.ClosedAsync(variant, keys, args.Concurrency, args.RunTime).ConfigureAwait(false)).ConfigureAwait(false);
                Log(string.Create(CultureInfo.InvariantCulture, $"batch {keys.BatchSize}, {variant.Name}, closed loop: {measured.Client.RowsPerSecond:0} keys/s, {measured.Client.Cpu.TotalSeconds * 1e6 / measured.Keys:0.00} client CPU-µs/key"));
                closed[variant.Name] = closed.TryGetValue(variant.Name, out ServeMeasurement? first) ? first.Plus(measured) : measured;
            }

            double bare = closed[variants[0].Name].Client.RowsPerSecond;
            double rate = bare / 2;
            var latencies = new Dictionary<string, LongHistogram>();
            foreach (IReadVariant variant in Abba)
            {
                GC.Collect();
                LongHistogram histogram = await LoadDriver.OpenAsync(variant, keys, rate / keys.BatchSize, args.RunTime).ConfigureAwait(false);
                Log($"batch {keys.BatchSize}, {variant.Name}, open loop at {rate:0} keys/s: {LatencyFigures.From(histogram)}");
                if (latencies.TryGetValue(variant.Name, out LongHistogram? first))
                {
                    first.Add(histogram);
                }
                else
                {
                    latencies[variant.Name] = histogram;
                }
            }

            Dictionary<string, VariantFigures> figures = variants.ToDictionary(v => v.Name, v => closed[v.Name].Figures(bare, LatencyFigures.From(latencies[v.Name])));
            RestOverGrpc? restOverGrpc = figures.TryGetValue("rest", out VariantFigures? rest) && figures.TryGetValue("grpc", out VariantFigures? grpc) ? RestOverGrpc.From(rest, grpc) : null;
            return new ServeBatchReport(keys.BatchSize, Math.Round(rate), figures, restOverGrpc);
        }
    }
}
