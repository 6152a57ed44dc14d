using System.Globalization;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>What <c>ingest --dry-run</c> prints: the service the settings describe, with nothing started.</summary>
internal static class IngestPlan
{
    public static IReadOnlyList<string> Lines(IngestSettings settings, FeatureSetOptions featureSet, IngestConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(featureSet);
        ArgumentNullException.ThrowIfNull(configuration);
        string where = settings.Local
            ? "local emulators (PUBSUB_EMULATOR_HOST and BIGTABLE_EMULATOR_HOST when set, else started here)"
            : $"Google Cloud project {settings.Project}, Bigtable instance {settings.Instance}{(settings.AppProfile is null ? string.Empty : ", app profile " + settings.AppProfile)}, credentials {settings.CredentialsFile ?? "Application Default Credentials"}";
        string port = settings.HttpPort == 0 ? "any free port" : Invariant($"port {settings.HttpPort}");
        var lines = new List<string>
        {
            "Dry run: settings and feature set are valid; nothing was started, pulled or written.",
            "Runs on: " + where,
            Invariant($"Pulls: {settings.Subscription} with {settings.Source.StreamCount} streams; at most {settings.Source.MaxOutstandingMessages} messages and {settings.Source.MaxOutstandingBytes} bytes outstanding; ack deadline {DurationText.Format(settings.Source.AckDeadline)}, leases kept up to {DurationText.Format(settings.Source.MaxTotalLeaseExtension)}"),
            "Dead letters: " + (settings.DeadLetterTopic ?? "none (poison messages are nacked)"),
            Invariant($"Writes: table {featureSet.Table} ({(settings.NoCreate ? "must exist" : "created where missing")}), feature set {settings.FeatureSetFile ?? "the built-in sample"}; batches of {settings.Batching.MaxRows} rows or {settings.Batching.MaxBytes} bytes or {DurationText.Format(settings.Batching.Linger)}, {settings.Writer.MaxRequestsInFlight} requests in flight"),
            Invariant($"Serves: /healthz/live, /healthz/ready and /metrics on {(settings.Local ? "loopback" : "every address")}, {port}{(settings.OtlpEndpoint is { } otlp ? "; OTLP metrics to " + otlp : string.Empty)}"),
            Invariant($"Stops: drains within {DurationText.Format(settings.ShutdownTimeout)} of SIGTERM{(settings.Duration is { } duration ? ", or by itself after " + DurationText.Format(duration) : string.Empty)}"),
        };
        if (settings.Local && settings.PublishRate > 0)
        {
            lines.Add(Invariant($"Publishes: {settings.PublishRate} synthetic events/s over {settings.PublishKeys} keys to {settings.Topic}"));
        }

        return lines;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
