namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// Where the BigQuery Storage Read API is: an emulator (plaintext, no credentials; our own built-in one or any other)
/// or Google Cloud (TLS, Application Default Credentials). The emulator wins when <see cref="EmulatorHost"/> or
/// <c>BIGQUERY_STORAGE_EMULATOR_HOST</c> is set.
/// </summary>
public sealed record BigQueryConnectionOptions
{
    public const string EmulatorHostVariable = "BIGQUERY_STORAGE_EMULATOR_HOST";

    /// <summary><c>host:port</c> of an emulator; default from <c>BIGQUERY_STORAGE_EMULATOR_HOST</c>.</summary>
    public string? EmulatorHost { get; init; }

    /// <summary>A service-account key file; default: Application Default Credentials.</summary>
    public string? CredentialsFile { get; init; }

    public string Endpoint { get; init; } = "bigquerystorage.googleapis.com:443";
}
