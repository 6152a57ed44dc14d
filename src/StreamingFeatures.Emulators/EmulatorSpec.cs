using Grpc.Core;
using Grpc.Net.Client;
using Google.Cloud.Bigtable.Admin.V2;
using Google.Cloud.PubSub.V1;

namespace StreamingFeatures.Emulators;

/// <summary>What differs between the emulators: where they live, how they start, how to ask them a question.</summary>
internal sealed record EmulatorSpec(
    EmulatorKind Kind,
    string DisplayName,
    string HostVariable,
    string SdkRelativePath,
    string InstallHint,
    bool NeedsJava,
    Func<string, int, string[]> Arguments,
    Func<GrpcChannel, DateTime, CancellationToken, Task> Probe)
{
    private const string ProbeProject = "streamingfeatures-probe";

    public static EmulatorSpec For(EmulatorKind kind) => kind switch
    {
        EmulatorKind.Bigtable => Bigtable,
        EmulatorKind.PubSub => PubSub,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown emulator kind."),
    };

    public static readonly EmulatorSpec Bigtable = new(
        EmulatorKind.Bigtable,
        "Bigtable emulator (cbtemulator)",
        "BIGTABLE_EMULATOR_HOST",
        "platform/bigtable-emulator/cbtemulator",
        "Install it with `gcloud components install bigtable`, or on Debian/Ubuntu `apt-get install google-cloud-cli-bigtable-emulator`",
        NeedsJava: false,
        (host, port) => ["-host", host, "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        async (channel, deadline, cancellationToken) =>
        {
            var admin = new BigtableTableAdmin.BigtableTableAdminClient(channel);
            await admin.ListTablesAsync(
                new ListTablesRequest { Parent = $"projects/{ProbeProject}/instances/{ProbeProject}" },
                deadline: deadline,
                cancellationToken: cancellationToken);
        });

    public static readonly EmulatorSpec PubSub = new(
        EmulatorKind.PubSub,
        "Pub/Sub emulator",
        "PUBSUB_EMULATOR_HOST",
        "platform/pubsub-emulator/bin/cloud-pubsub-emulator",
        "Install it with `gcloud components install pubsub-emulator`, or on Debian/Ubuntu `apt-get install google-cloud-cli-pubsub-emulator`; it also needs a Java runtime 11 or newer (`apt-get install default-jre-headless`)",
        NeedsJava: true,
        (host, port) => [$"--host={host}", $"--port={port.ToString(System.Globalization.CultureInfo.InvariantCulture)}"],
        async (channel, deadline, cancellationToken) =>
        {
            var publisher = new Publisher.PublisherClient(channel);
            await publisher.ListTopicsAsync(
                new ListTopicsRequest { Project = $"projects/{ProbeProject}" },
                deadline: deadline,
                cancellationToken: cancellationToken);
        });

    /// <summary>True when the emulator answered, even with an error status: only a transport failure means "not up yet".</summary>
    public static bool Answered(RpcException exception) =>
        exception.StatusCode is not (StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Unknown or StatusCode.Internal);
}
