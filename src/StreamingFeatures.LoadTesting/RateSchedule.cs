namespace StreamingFeatures.LoadTesting;

/// <summary>
/// The planned offer time of every row: stages of linear rate, integrated. Row n (0-based) is due once the planned
/// count reaches n + 1, so a steady 1,000 rows/s offers row 0 at 1 ms and row 999 at 1 s. Latency is measured from
/// this planned time, not from when the row was actually sent, so a stalled pipeline cannot hide its own backlog
/// (no coordinated omission).
/// </summary>
public sealed class RateSchedule
{
    private readonly LoadStage[] _stages;
    private readonly double[] _startSeconds;
    private readonly double[] _startCounts;

    public RateSchedule(IReadOnlyList<LoadStage> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        _stages = [.. stages];
        _startSeconds = new double[_stages.Length + 1];
        _startCounts = new double[_stages.Length + 1];
        for (int i = 0; i < _stages.Length; i++)
        {
            LoadStage stage = _stages[i];
            if (stage.Duration < TimeSpan.Zero || stage.FromRate < 0 || stage.ToRate < 0)
            {
                throw new ArgumentException($"Stage {i} has a negative duration or rate.", nameof(stages));
            }

            double seconds = stage.Duration.TotalSeconds;
            _startSeconds[i + 1] = _startSeconds[i] + seconds;
            _startCounts[i + 1] = _startCounts[i] + ((stage.FromRate + stage.ToRate) / 2 * seconds);
        }

        Duration = TimeSpan.FromSeconds(_startSeconds[^1]);
        TotalRows = (long)Math.Floor(_startCounts[^1] + 1e-9);
    }

    public static RateSchedule For(LoadProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new RateSchedule(profile.Shape.ToStages());
    }

    public IReadOnlyList<LoadStage> Stages => _stages;

    public TimeSpan Duration { get; }

    /// <summary>Rows the whole schedule offers.</summary>
    public long TotalRows { get; }

    /// <summary>The planned rate at <paramref name="elapsed"/>, rows per second (0 after the end).</summary>
    public double RateAt(TimeSpan elapsed)
    {
        double t = elapsed.TotalSeconds;
        int i = StageAt(t);
        if (i < 0)
        {
            return 0;
        }

        LoadStage stage = _stages[i];
        double length = _startSeconds[i + 1] - _startSeconds[i];
        return length <= 0 ? stage.ToRate : stage.FromRate + ((stage.ToRate - stage.FromRate) * (t - _startSeconds[i]) / length);
    }

    /// <summary>Rows planned by <paramref name="elapsed"/>, as a real number.</summary>
    internal double PlannedCount(TimeSpan elapsed)
    {
        double t = elapsed.TotalSeconds;
        if (t <= 0)
        {
            return 0;
        }

        int i = StageAt(t);
        if (i < 0)
        {
            return _startCounts[^1];
        }

        LoadStage stage = _stages[i];
        double tau = t - _startSeconds[i];
        double length = _startSeconds[i + 1] - _startSeconds[i];
        double slope = (stage.ToRate - stage.FromRate) / length;
        return _startCounts[i] + (stage.FromRate * tau) + (slope * tau * tau / 2);
    }

    /// <summary>Rows due by <paramref name="elapsed"/>: rows 0 to Due − 1 may be offered.</summary>
    public long Due(TimeSpan elapsed) => Math.Min(TotalRows, (long)Math.Floor(PlannedCount(elapsed) + 1e-9));

    /// <summary>When row <paramref name="row"/> is due: the time the planned count reaches row + 1.</summary>
    public TimeSpan DueAt(long row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        double count = row + 1;
        if (count >= _startCounts[^1])
        {
            return Duration;
        }

        // The first stage whose end count reaches the target; stages that plan no rows are skipped over.
        int low = 0;
        int high = _stages.Length - 1;
        while (low < high)
        {
            int mid = (low + high) / 2;
            if (_startCounts[mid + 1] >= count)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        LoadStage stage = _stages[low];
        double x = count - _startCounts[low];
        double length = _startSeconds[low + 1] - _startSeconds[low];
        double slope = (stage.ToRate - stage.FromRate) / length;

        // Solves from·τ + slope·τ²/2 = x in the form that stays exact when the slope is zero or negative.
        double root = Math.Sqrt(Math.Max(0, (stage.FromRate * stage.FromRate) + (2 * slope * x)));
        double denominator = stage.FromRate + root;
        double tau = denominator > 0 ? 2 * x / denominator : length;
        // Rounded up to a whole tick, so the row is due at the returned time (Due includes it), never a tick before.
        return TimeSpan.FromTicks((long)Math.Ceiling((_startSeconds[low] + Math.Min(tau, length)) * TimeSpan.TicksPerSecond));
    }

    private int StageAt(double t)
    {
        for (int i = 0; i < _stages.Length; i++)
        {
            if (t < _startSeconds[i + 1])
            {
                return i;
            }
        }

        return -1;
    }
}
