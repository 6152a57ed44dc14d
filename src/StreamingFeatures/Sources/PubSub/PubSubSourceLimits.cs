namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// The defaults and ranges of <see cref="PubSubSourceOptions"/>, in one place; defaults follow Google's own subscriber
/// clients. The lease bounds that depend on the ack deadline are checked in the options.
/// </summary>
internal static class PubSubSourceLimits
{
    public static readonly Limit<int> StreamCount = new(2, 1, 32);

    public static readonly Limit<long> MaxOutstandingMessages = new(1_000, 1, 1_000_000);

    public static readonly Limit<long> MaxOutstandingBytes = new(100_000_000, 1_024, 10L << 30);

    public static readonly Limit<TimeSpan> AckDeadline = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(600));

    /// <summary>The minimum is the ack deadline; <see cref="Limit{T}.Min"/> is the lowest ack deadline.</summary>
    public static readonly Limit<TimeSpan> MaxTotalLeaseExtension = new(TimeSpan.FromMinutes(60), AckDeadline.Min, TimeSpan.FromHours(24));

    public static readonly Limit<int> MaxChunkRows = new(500, 1, 10_000);

    /// <summary>The file sources' bound on a record (<c>--max-record-bytes</c> for both); Pub/Sub itself caps a message at 10 MB.</summary>
    public static readonly Limit<int> MaxMessageBytes = Files.FileSourceLimits.MaxRecordBytes;
}
