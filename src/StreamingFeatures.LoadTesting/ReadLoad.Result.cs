using StreamingFeatures.Serving;

namespace StreamingFeatures.LoadTesting;

/// <summary>The figures of a finished read workload.</summary>
public sealed partial class ReadLoad
{
    /// <summary>Feast's names of the statuses, as the serve API answers them.</summary>
    public static string StatusName(FeatureStatus status) => status switch
    {
        FeatureStatus.Present => "PRESENT",
        FeatureStatus.NullValue => "NULL_VALUE",
        FeatureStatus.NotFound => "NOT_FOUND",
        _ => "OUTSIDE_MAX_AGE",
    };

    private ReadRun Result(TimeSpan elapsed, bool duringWrites)
    {
        lock (_lock)
        {
            // Rates over the schedule's length, or the run's when it ran over (a reader behind its schedule).
            double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
            return new ReadRun
            {
                Reader = _client.Description,
                DuringWrites = duringWrites,
                BatchSize = _reads.BatchSize,
                PlannedRequests = _schedule.TotalRows,
                Requests = _requests,
                FailedRequests = Interlocked.Read(ref _failed),
                Keys = _requests * _reads.BatchSize,
                DurationSeconds = elapsed.TotalSeconds,
                RequestsPerSecond = _requests / seconds,
                KeysPerSecond = _requests * _reads.BatchSize / seconds,
                LatencyMs = LoadRecorder.Figures(_latency),
                Statuses = Enum.GetValues<FeatureStatus>().ToDictionary(StatusName, s => _statuses[(int)s], StringComparer.Ordinal),
                Errors = new SortedDictionary<string, long>(_errors, StringComparer.Ordinal),
            };
        }
    }
}
