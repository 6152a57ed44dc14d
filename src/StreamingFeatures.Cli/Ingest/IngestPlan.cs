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
            Invariant($"Pulls: {settings.Subscription} with {settings.Streams} streams; at most {settings.MaxOutstandingMessages} messages and {settings.MaxOutstandingBytes} bytes outstanding; ack deadline {DurationText.Format(settings.AckDeadline)}, leases kept up to {DurationText.Format(settings.MaxLeaseExtension)}"),
            "Dead letters: " + (settings.DeadLetterTopic ?? "none (poison messages are nacked)"),
            Invariant($"Writes: table {featureSet.Table} ({(settings.NoCreate ? "must exist" : "created where missing")}), feature set {settings.FeatureSetFile ?? "the built-in sample"}; batches of {settings.BatchRows} rows or {settings.BatchBytes} bytes or {DurationText.Format(settings.BatchLinger)}, {settings.WriteRequests} requests in flight"),
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
