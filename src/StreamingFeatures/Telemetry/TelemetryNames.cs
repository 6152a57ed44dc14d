namespace StreamingFeatures.Telemetry;

/// <summary>The one Meter and ActivitySource name every exporter subscribes to.</summary>
public static class TelemetryNames
{
    public const string Meter = "StreamingFeatures";
    public const string ActivitySource = "StreamingFeatures";
}
