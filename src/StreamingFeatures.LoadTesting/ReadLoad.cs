using System.Collections.Concurrent;
using Grpc.Core;
using HdrHistogram;
using StreamingFeatures.Serving;

namespace StreamingFeatures.LoadTesting;

/// <summary>
/// The read workload, open loop: request n is due at its planned time on the reads' schedule whatever the earlier
/// ones are doing, at most <see cref="LoadReads.MaxInFlight"/> at once, and its latency runs from that planned time,
/// so a reader that falls behind shows its queue in the percentiles (no coordinated omission).
/// </summary>
public sealed partial class ReadLoad
{
    // Latencies in microseconds, up to an hour with three significant digits, as the write recorder keeps them.
    private const long MaxLatencyMicros = 3_600_000_000;

    private readonly LoadReads _reads;
    private readonly IReadClient _client;
    private readonly TimeProvider _time;
    private readonly RateSchedule _schedule;
    private readonly ReadKeys _keys;
    private readonly IReadOnlyList<string>? _features;
    private readonly Lock _lock = new();
    private readonly LongHistogram _latency = new(MaxLatencyMicros, 3);
    private readonly long[] _statuses = new long[Enum.GetValues<FeatureStatus>().Length];
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _requests;
    private long _failed;

    public ReadLoad(LoadReads reads, IReadClient client, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(client);
        _reads = reads;
        _client = client;
        _time = time ?? TimeProvider.System;
        _schedule = new RateSchedule(reads.Shape.ToStages());
        _keys = new ReadKeys(reads.Keys, reads.Seed);
        _features = reads.Features.Count == 0 ? null : reads.Features;
    }

    /// <summary>Requests the whole schedule plans.</summary>
    public long PlannedRequests => _schedule.TotalRows;

    public TimeSpan Duration => _schedule.Duration;

    /// <summary>Runs the schedule to its end and waits for the requests in flight; a stop ends it early.</summary>
    public async Task<ReadRun> RunAsync(bool duringWrites, CancellationToken stop = default)
    {
        long start = _time.GetTimestamp();
        using var slots = new SemaphoreSlim(_reads.MaxInFlight);
        var inFlight = new List<Task>();
        try
        {
            for (long n = 0; n < _schedule.TotalRows && !stop.IsCancellationRequested; n++)
            {
                TimeSpan due = _schedule.DueAt(n);
                TimeSpan wait = due - _time.GetElapsedTime(start);
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, _time, stop).ConfigureAwait(false);
                }

                await slots.WaitAsync(stop).ConfigureAwait(false);
                inFlight.Add(RequestAsync(n, start + (long)(due.TotalSeconds * _time.TimestampFrequency), slots, stop));
                if (inFlight.Count >= 4 * _reads.MaxInFlight)
                {
                    inFlight.RemoveAll(t => t.IsCompleted);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped: the figures cover what ran.
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        return Result(_time.GetElapsedTime(start), duringWrites);
    }

    private async Task RequestAsync(long n, long plannedStart, SemaphoreSlim slots, CancellationToken stop)
    {
        var statuses = new long[_statuses.Length];
        try
        {
            await _client.ReadAsync(_keys.Batch(n, _reads.BatchSize), _features, statuses, stop).ConfigureAwait(false);
            long micros = (long)_time.GetElapsedTime(plannedStart).TotalMicroseconds;
            lock (_lock)
            {
                _latency.RecordValue(Math.Clamp(micros, 0, MaxLatencyMicros));
                _requests++;
                for (int i = 0; i < statuses.Length; i++)
                {
                    _statuses[i] += statuses[i];
                }
            }
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Stopped mid-request: neither answered nor failed, counted as unfinished.
        }
        catch (Exception e)
        {
            // Every other failure counts, by its gRPC code or type: a faulted request never goes unobserved.
            Interlocked.Increment(ref _failed);
            _errors.AddOrUpdate(e is RpcException rpc ? rpc.StatusCode.ToString() : e.GetType().Name, 1, (_, count) => count + 1);
        }
        finally
        {
            slots.Release();
        }
    }
}
