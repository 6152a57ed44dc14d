namespace StreamingFeatures.Sources.PubSub;

/// <summary>Latency percentiles over an interval, e.g. publish → written for the log line every minute.</summary>
public sealed record LatencySummary(long Count, TimeSpan P50, TimeSpan P90, TimeSpan P99, TimeSpan Max);
