using System.Globalization;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;

namespace StreamingFeatures.Pipeline.Stages;

/// <summary>
/// The latest event time a row may carry: a fixed reference (a migration's snapshot time, so the bound does not move
/// between runs of one job) or the clock, plus the feature set's <see cref="FeatureSetOptions.MaxFutureSkew"/>. Cells
/// are stamped with the event time and the newest wins, so one event from the far future would hide every real one.
/// </summary>
internal sealed class EventTimeHorizon
{
    private static readonly long MaxDateTimeMicros = (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    private readonly TimeProvider _clock;
    private readonly long? _referenceMicros;
    private readonly long _skewMicros;

    /// <param name="skew">Validated: 0 to 10,000 years, so reference + skew cannot overflow.</param>
    /// <param name="reference">A fixed reference time; null to read <paramref name="clock"/> for every chunk.</param>
    /// <param name="clock">The clock read when there is no fixed reference.</param>
    public EventTimeHorizon(TimeSpan skew, DateTimeOffset? reference, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThan(skew, TimeSpan.Zero);
        Skew = skew;
        _skewMicros = skew.Ticks / 10;
        _referenceMicros = reference is { } fixedTime ? CellEncoding.ToUnixMicros(fixedTime) : null;
        _clock = clock;
    }

    public TimeSpan Skew { get; }

    /// <summary>The latest event time accepted now (microseconds since the epoch); read once per chunk.</summary>
    public long LimitMicros() => Math.Max(0, (_referenceMicros ?? CellEncoding.ToUnixMicros(_clock.GetUtcNow())) + _skewMicros);

    /// <summary>The dead-letter message for an event time past <paramref name="limitMicros"/>.</summary>
    public string Describe(string field, long eventTimeMicros, long limitMicros) => string.Create(
        CultureInfo.InvariantCulture,
        $"Event time '{field}' is {Show(eventTimeMicros)}, more than maxFutureSkew {DurationText.Format(Skew)} ahead of {(_referenceMicros is null ? "the clock" : "the snapshot time")} {Show(limitMicros - _skewMicros)}; allowed: at most {Show(limitMicros)}.");

    /// <summary>An instant as ISO 8601, or as microseconds when past what a <see cref="DateTime"/> holds.</summary>
    internal static string Show(long micros) =>
        micros >= 0 && micros <= MaxDateTimeMicros
            ? DateTime.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)
            : micros.ToString(CultureInfo.InvariantCulture) + " µs since the epoch";
}
