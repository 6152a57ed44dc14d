namespace StreamingFeatures.Cli.Ingest;

/// <summary>
/// The defaults and ranges of the service's own settings (the host, the local publisher). The pulling and writing
/// limits are the engine's: <see cref="Sources.PubSub.PubSubSourceLimits"/>, <see cref="Pipeline.BatchingLimits"/>,
/// <see cref="Bigtable.BigtableWriterLimits"/>.
/// </summary>
internal static class IngestLimits
{
    public static readonly Limit<long> HttpPort = new(8080, 0, 65_535);

    public static readonly Limit<TimeSpan> ShutdownTimeout = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));

    public static readonly Limit<TimeSpan> SummaryInterval = new(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

    public static readonly Limit<TimeSpan> ProbeInterval = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    public static readonly Limit<double> PublishRate = new(0, 0, 100_000);

    public static readonly Limit<long> PublishKeys = new(10_000, 1, 1_000_000_000_000);

    /// <summary>No default: without <c>--duration</c> the service runs until stopped.</summary>
    public static readonly Limit<TimeSpan> Duration = new(TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30));
}
