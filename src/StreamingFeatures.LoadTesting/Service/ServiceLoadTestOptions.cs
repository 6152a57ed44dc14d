using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.LoadTesting.Service;

/// <summary>The running service a <see cref="ServiceLoadTestJob"/> measures.</summary>
public sealed class ServiceLoadTestOptions
{
    /// <summary>The topic the service's subscription reads: projects/P/topics/T.</summary>
    public required string Topic { get; init; }

    /// <summary>The service's Prometheus endpoint.</summary>
    public required Uri Metrics { get; init; }

    /// <summary>The feature set the service runs: its keys decide the hotspot heatmap's ranges.</summary>
    public required FeatureSetOptions FeatureSet { get; init; }

    /// <summary>Where the feature set came from, as problems and reports name it.</summary>
    public required string FeatureSetOrigin { get; init; }

    /// <summary>The clock of the schedule, the scrapes and the publisher.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
