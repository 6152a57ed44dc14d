namespace StreamingFeatures.LoadTesting;

/// <summary>How a <see cref="LoadTestJob"/> runs beyond what its profile says.</summary>
public sealed class LoadTestJobOptions
{
    /// <summary>
    /// The table to write to, created where missing and kept afterwards; null for a table of the run's own
    /// (<c>loadtest-{profile}-{random}</c>), deleted afterwards on an emulator.
    /// </summary>
    public string? Table { get; init; }

    /// <summary>How long the pipeline may take to drain once the deadline stopped it.</summary>
    public TimeSpan PipelineDrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How the reads of a profile with a <c>reads</c> section reach the reader, given the run's feature set; null for
    /// the engine's <see cref="Serving.FeatureReader"/> in this process on the run's table.
    /// </summary>
    public Func<FeatureSets.FeatureSetOptions, IReadClient>? ReadClient { get; init; }

    /// <summary>The clock of the schedule, the recorder and the deadline.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
