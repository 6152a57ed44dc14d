namespace StreamingFeatures.Bigtable;

/// <summary>
/// Where Bigtable is: an emulator (plaintext, no credentials) or a real instance (TLS, Application Default
/// Credentials). The emulator wins when <see cref="EmulatorHost"/> or <c>BIGTABLE_EMULATOR_HOST</c> is set, as in
/// Google's own clients.
/// </summary>
public sealed record BigtableConnectionOptions
{
    public const string EmulatorHostVariable = "BIGTABLE_EMULATOR_HOST";

    /// <summary>The Google Cloud project. Required for a real instance; the emulator accepts any.</summary>
    public string? Project { get; init; }

    /// <summary>The Bigtable instance id. Required for a real instance; the emulator accepts any.</summary>
    public string? Instance { get; init; }

    /// <summary>An app profile for routing (for example a batch profile on a single cluster). Optional.</summary>
    public string? AppProfileId { get; init; }

    /// <summary><c>host:port</c> of an emulator; default from <c>BIGTABLE_EMULATOR_HOST</c>.</summary>
    public string? EmulatorHost { get; init; }

    /// <summary>A service-account key file; default: Application Default Credentials.</summary>
    public string? CredentialsFile { get; init; }

    public string DataEndpoint { get; init; } = "bigtable.googleapis.com:443";

    public string AdminEndpoint { get; init; } = "bigtableadmin.googleapis.com:443";
}
