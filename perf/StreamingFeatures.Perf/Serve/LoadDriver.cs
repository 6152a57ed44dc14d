using System.Diagnostics;
using HdrHistogram;

namespace StreamingFeatures.Perf.Serve;

/// <summary>The two ways <c>serve</c> drives a variant: a closed loop for peak throughput, an open loop for latency.</summary>
internal static class LoadDriver
{
    /// <summary>Latencies up to a minute, 3 significant digits, in microseconds.</summary>
    public static LongHistogram NewHistogram() => new(60_000_000, 3);

    /// <summary>
    /// <paramref name="concurrency"/> workers, each sending its next batch as soon as the last is answered, for
    /// <paramref name="duration"/>; returns the batches read.
    /// </summary>
    public static async Task<long> ClosedAsync(IReadVariant variant, ServeKeys keys, int concurrency, TimeSpan duration)
    {
        long started = Stopwatch.GetTimestamp();
        long next = -1;
        long done = 0;

        async Task WorkerAsync()
        {
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                int batch = (int)(Interlocked.Increment(ref next) % keys.Batches.Length);
                await variant.ReadAsync(keys, batch, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref done);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkerAsync))).ConfigureAwait(false);
        return done;
    }

    /// <summary>
    /// Batches sent on a fixed schedule of <paramref name="requestsPerSecond"/>, whether or not earlier ones were
    /// answered; each latency counts from its scheduled start, so a stall is not hidden (no coordinated omission).
    /// </summary>
    public static async Task<LongHistogram> OpenAsync(IReadVariant variant, ServeKeys keys, double requestsPerSecond, TimeSpan duration)
    {
        var histogram = NewHistogram();
        var inFlight = new List<Task>();
        long started = Stopwatch.GetTimestamp();
        long total = (long)(requestsPerSecond * duration.TotalSeconds);
        double ticksPerRequest = Stopwatch.Frequency / requestsPerSecond;

        async Task OneAsync(int batch, long scheduled)
        {
            await variant.ReadAsync(keys, batch, CancellationToken.None).ConfigureAwait(false);
            long micros = (Stopwatch.GetTimestamp() - scheduled) * 1_000_000 / Stopwatch.Frequency;
            lock (histogram)
            {
                histogram.RecordValue(Math.Min(micros, histogram.HighestTrackableValue));
            }
        }

        for (long i = 0; i < total;)
        {
            // Everything due is sent at once: the timer wakes about every millisecond, the schedule is finer.
            long now = Stopwatch.GetTimestamp();
            for (; i < total && started + (long)(i * ticksPerRequest) <= now; i++)
            {
                long scheduled = started + (long)(i * ticksPerRequest);
                int batch = (int)(i % keys.Batches.Length);
                inFlight.Add(Task.Run(() => OneAsync(batch, scheduled)));
            }

            if (inFlight.Count > 4_096)
            {
                inFlight.RemoveAll(t => t.IsCompletedSuccessfully);
            }

            await Task.Delay(1).ConfigureAwait(false);
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        return histogram;
    }
}
