namespace StreamingFeatures.Serving;

/// <summary>One feature of one entity as read: its status, its value when <see cref="FeatureStatus.Present"/>, and the event time of the cell read.</summary>
/// <param name="Status">What the read found.</param>
/// <param name="Value">The typed value; <see cref="FeatureValue.IsEmpty"/> unless the status is Present.</param>
/// <param name="EventTime">The cell's timestamp (the event time, millisecond granularity) for Present and OutsideMaxAge; else null.</param>
public readonly record struct FeatureResult(FeatureStatus Status, FeatureValue Value, DateTimeOffset? EventTime)
{
    public static FeatureResult NotFound { get; } = new(FeatureStatus.NotFound, default, null);

    public static FeatureResult NullValue { get; } = new(FeatureStatus.NullValue, default, null);
}
