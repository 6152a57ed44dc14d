using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.LoadTesting;

/// <summary>A shape's settings: the ones its kind needs, in range, and none that belong to another kind.</summary>
internal static class LoadShapeChecks
{
    private const string RateRange = "0 to 10000000 rows per second";

    public static void Check(LoadShape shape, List<FeatureSetError> errors)
    {
        string kind = shape.Kind.ToString().ToLowerInvariant();
        var used = new HashSet<string>(StringComparer.Ordinal) { "kind" };
        void Need(string name, object? value)
        {
            used.Add(name);
            if (value is null)
            {
                errors.Add(new FeatureSetError("shape." + name, $"shape.{name} is missing; a {kind} shape needs it"));
            }
        }

        void May(string name) => used.Add(name);
        switch (shape.Kind)
        {
            case LoadShapeKind.Steady or LoadShapeKind.Soak:
                Need("rate", shape.Rate);
                Need("duration", shape.Duration);
                break;
            case LoadShapeKind.Ramp:
                May("from");
                Need("to", shape.To);
                Need("duration", shape.Duration);
                May("steps");
                break;
            case LoadShapeKind.Step:
                Need("from", shape.From);
                Need("to", shape.To);
                Need("steps", shape.Steps);
                Need("duration", shape.Duration);
                break;
            case LoadShapeKind.Spike:
                Need("rate", shape.Rate);
                Need("spikeRate", shape.SpikeRate);
                Need("duration", shape.Duration);
                May("spikeAt");
                May("spikeDuration");
                break;
            default:
                used.Add("stages");
                if (shape.Stages.Count is 0 or > 1000)
                {
                    errors.Add(new FeatureSetError("shape.stages", $"shape.stages has {shape.Stages.Count} stages; allowed: 1 to 1000, each with duration and rate"));
                }

                break;
        }

        foreach ((string name, bool set) in Settings(shape))
        {
            if (set && !used.Contains(name))
            {
                errors.Add(new FeatureSetError("shape." + name, $"shape.{name} is set, but a {kind} shape does not use it; its settings: {string.Join(", ", used)}"));
            }
        }

        CheckValues(shape, errors);
    }

    private static void CheckValues(LoadShape shape, List<FeatureSetError> errors)
    {
        foreach ((string name, double? rate) in new[] { ("rate", shape.Rate), ("from", shape.From), ("to", shape.To), ("spikeRate", shape.SpikeRate) })
        {
            if (rate is { } value && !(value >= 0 && value <= LoadProfileValidator.MaxRate))
            {
                errors.Add(FeatureSetError.Invalid("shape." + name, LoadProfileValidator.Show(value), RateRange));
            }
        }

        if (shape.Duration is { } duration)
        {
            LoadProfileValidator.Range(errors, "shape.duration", duration, TimeSpan.FromMilliseconds(100), LoadProfileValidator.MaxDuration);
        }

        if (shape.Steps is { } steps)
        {
            LoadProfileValidator.Range(errors, "shape.steps", steps, 2, 1000);
        }

        if (shape.Kind == LoadShapeKind.Spike && shape.Duration is { } total)
        {
            TimeSpan at = shape.SpikeAt ?? total / 3;
            TimeSpan length = shape.SpikeDuration ?? total / 10;
            LoadProfileValidator.Range(errors, "shape.spikeDuration", length, TimeSpan.FromMilliseconds(100), total);
            if (at < TimeSpan.Zero || at + length > total)
            {
                errors.Add(new FeatureSetError("shape.spikeAt", $"shape.spikeAt is {DurationText.Format(at)} with a {DurationText.Format(length)} spike; allowed: the spike ends within shape.duration ({DurationText.Format(total)})"));
            }
        }

        TimeSpan sum = TimeSpan.Zero;
        for (int i = 0; i < shape.Stages.Count; i++)
        {
            LoadStage stage = shape.Stages[i];
            string path = FeatureSetPaths.Item("shape.stages", i);
            LoadProfileValidator.Range(errors, path + ".duration", stage.Duration, TimeSpan.FromMilliseconds(100), LoadProfileValidator.MaxDuration);
            LoadProfileValidator.Range(errors, path + ".rate", stage.FromRate, 0, LoadProfileValidator.MaxRate);
            LoadProfileValidator.Range(errors, path + ".to", stage.ToRate, 0, LoadProfileValidator.MaxRate);
            sum += stage.Duration;
        }

        if (sum > LoadProfileValidator.MaxDuration)
        {
            errors.Add(new FeatureSetError("shape.stages", $"shape.stages last {DurationText.Format(sum)} together; allowed: up to {DurationText.Format(LoadProfileValidator.MaxDuration)}"));
        }
    }

    private static IEnumerable<(string Name, bool Set)> Settings(LoadShape shape) =>
    [
        ("rate", shape.Rate is not null),
        ("from", shape.From is not null),
        ("to", shape.To is not null),
        ("duration", shape.Duration is not null),
        ("steps", shape.Steps is not null),
        ("spikeRate", shape.SpikeRate is not null),
        ("spikeAt", shape.SpikeAt is not null),
        ("spikeDuration", shape.SpikeDuration is not null),
        ("stages", shape.Stages.Count > 0),
    ];
}
