namespace StreamingFeatures.LoadTesting;

/// <summary>
/// The offered rate over time. Every kind becomes a list of <see cref="LoadStage"/>s (<see cref="ToStages"/>), each
/// holding or ramping its rate linearly, from which <see cref="RateSchedule"/> plans every row's offer time.
/// </summary>
public sealed class LoadShape
{
    public LoadShapeKind Kind { get; set; } = LoadShapeKind.Steady;

    /// <summary>Rows per second: the steady, soak and spike base rate.</summary>
    public double? Rate { get; set; }

    /// <summary>Ramp and step: the first rate. Default 0 for a ramp.</summary>
    public double? From { get; set; }

    /// <summary>Ramp and step: the last rate.</summary>
    public double? To { get; set; }

    /// <summary>Total length (every kind but stages).</summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>Step (2 to 1,000, required) and ramp (optional): a staircase of this many equal stages from <see cref="From"/> to <see cref="To"/>.</summary>
    public int? Steps { get; set; }

    /// <summary>Spike: the rate during the spike.</summary>
    public double? SpikeRate { get; set; }

    /// <summary>Spike: when it starts. Default a third of the duration.</summary>
    public TimeSpan? SpikeAt { get; set; }

    /// <summary>Spike: how long it lasts. Default a tenth of the duration.</summary>
    public TimeSpan? SpikeDuration { get; set; }

    /// <summary>Stages: each (duration, rate), optionally ramping to <see cref="LoadStage.ToRate"/>.</summary>
    public List<LoadStage> Stages { get; set; } = [];

    /// <summary>The stages this shape runs; call on a validated profile.</summary>
    public IReadOnlyList<LoadStage> ToStages()
    {
        TimeSpan duration = Duration ?? TimeSpan.Zero;
        switch (Kind)
        {
            case LoadShapeKind.Steady or LoadShapeKind.Soak:
                return [new LoadStage(duration, Rate ?? 0, Rate ?? 0)];
            case LoadShapeKind.Ramp when Steps is null:
                return [new LoadStage(duration, From ?? 0, To ?? 0)];
            case LoadShapeKind.Ramp or LoadShapeKind.Step:
                return Staircase(From ?? 0, To ?? 0, Steps ?? 2, duration);
            case LoadShapeKind.Spike:
                TimeSpan at = SpikeAt ?? duration / 3;
                TimeSpan length = SpikeDuration ?? duration / 10;
                double rate = Rate ?? 0;
                double spike = SpikeRate ?? 0;
                return [new LoadStage(at, rate, rate), new LoadStage(length, spike, spike), new LoadStage(duration - at - length, rate, rate)];
            default:
                return Stages;
        }
    }

    private static LoadStage[] Staircase(double from, double to, int steps, TimeSpan duration)
    {
        var stages = new LoadStage[steps];
        for (int i = 0; i < steps; i++)
        {
            double rate = steps == 1 ? to : from + ((to - from) * i / (steps - 1));
            // Equal stages whose lengths add up exactly to the duration.
            TimeSpan length = (duration * (i + 1) / steps) - (duration * i / steps);
            stages[i] = new LoadStage(length, rate, rate);
        }

        return stages;
    }
}

public enum LoadShapeKind
{
    /// <summary>One rate for the whole duration.</summary>
    Steady,

    /// <summary>From one rate to another, linearly (or as a staircase with <see cref="LoadShape.Steps"/>): finds saturation.</summary>
    Ramp,

    /// <summary>A staircase of equal stages from one rate to another.</summary>
    Step,

    /// <summary>A base rate with one burst.</summary>
    Spike,

    /// <summary>A steady rate held for long: leaks, drift, compactions.</summary>
    Soak,

    /// <summary>An explicit list of (duration, rate) stages.</summary>
    Stages,
}

/// <summary>One stage: <paramref name="Duration"/> long, its rate going linearly from <paramref name="FromRate"/> to <paramref name="ToRate"/> rows per second.</summary>
public readonly record struct LoadStage(TimeSpan Duration, double FromRate, double ToRate);
