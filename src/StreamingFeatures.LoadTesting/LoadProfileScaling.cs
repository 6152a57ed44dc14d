namespace StreamingFeatures.LoadTesting;

/// <summary>A profile shortened (or stretched) in time for a quick look: same rates and shape, every span scaled.</summary>
public static class LoadProfileScaling
{
    public const double MinScale = 0.001;
    public const double MaxScale = 100;

    /// <summary>
    /// Multiplies the shape's spans (duration, spike start and length, each stage) and the warm-up by
    /// <paramref name="scale"/>, to the millisecond; rates, the interval and the drain stay. Returns the problems of
    /// the scaled profile (a warm-up no longer shorter than the shape, a span below a millisecond), each naming the
    /// setting; empty when it is sound.
    /// </summary>
    public static IReadOnlyList<string> ScaleDurations(this LoadProfile profile, double scale)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, MinScale);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, MaxScale);
        foreach (LoadShape shape in profile.Reads is { } reads ? [profile.Shape, reads.Shape] : new[] { profile.Shape })
        {
            shape.Duration = Scale(shape.Duration, scale);
            shape.SpikeAt = Scale(shape.SpikeAt, scale);
            shape.SpikeDuration = Scale(shape.SpikeDuration, scale);
            shape.Stages = [.. shape.Stages.Select(s => s with { Duration = Scale(s.Duration, scale) })];
        }

        profile.Measure.Warmup = Scale(profile.Measure.Warmup, scale);
        return [.. LoadProfileValidator.Check(profile).Select(e => e.Message)];
    }

    private static TimeSpan? Scale(TimeSpan? span, double scale) => span is { } value ? Scale(value, scale) : null;

    private static TimeSpan Scale(TimeSpan span, double scale) =>
        TimeSpan.FromMilliseconds(Math.Round(span.TotalMilliseconds * scale));
}
