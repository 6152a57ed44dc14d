namespace StreamingFeatures.Pipeline;

/// <summary>The defaults and ranges of <see cref="PipelineOptions"/>' own bounds, in one place.</summary>
internal static class PipelineLimits
{
    public static readonly Limit<int> MapParallelism = new(Environment.ProcessorCount, 1, 256);

    /// <summary>No fixed default: twice <see cref="PipelineOptions.MapParallelism"/>.</summary>
    public static readonly Limit<int> ChunkQueue = new(0, 1, 1_024);

    public static readonly Limit<int> BatcherQueue = new(2, 1, 1_024);

    public static readonly Limit<int> BatchQueue = new(1, 1, 64);

    public static readonly Limit<int> SettleQueue = new(2, 1, 64);

    public static readonly Limit<TimeSpan> DrainTimeout = new(TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromMinutes(10));
}
