using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.GoogleCloud;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// A channel to the BigQuery Storage Read API. Google Cloud gets TLS and OAuth tokens (the scopes Google's own
/// BigQuery Storage clients ask for) from Application Default Credentials or a key file, refreshed per call.
/// </summary>
public sealed class BigQueryConnection : IDisposable
{
    public static readonly IReadOnlyList<string> Scopes = ["https://www.googleapis.com/auth/bigquery", "https://www.googleapis.com/auth/cloud-platform"];

    private readonly GrpcChannel _channel;

    private BigQueryConnection(GrpcChannel channel, Uri address, bool isEmulator)
    {
        _channel = channel;
        Address = address;
        IsEmulator = isEmulator;
    }

    public bool IsEmulator { get; }

    /// <summary><c>http://</c> for an emulator, <c>https://</c> for Google Cloud.</summary>
    public Uri Address { get; }

    public CallInvoker CallInvoker => _channel.CreateCallInvoker();

    public static Task<BigQueryConnection> ConnectAsync(BigQueryConnectionOptions options, CancellationToken cancellationToken = default) =>
        ConnectAsync(options, Environment.GetEnvironmentVariable, file => GoogleChannels.LoadCredentialAsync(file, cancellationToken));

    internal static async Task<BigQueryConnection> ConnectAsync(
        BigQueryConnectionOptions options,
        Func<string, string?> environment,
        Func<string?, Task<ICredential>> credentials)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? emulator = options.EmulatorHost ?? environment(BigQueryConnectionOptions.EmulatorHostVariable);
        if (!string.IsNullOrWhiteSpace(emulator))
        {
            (GrpcChannel channel, Uri address) = GoogleChannels.Emulator(emulator);
            return new BigQueryConnection(channel, address, isEmulator: true);
        }

        ICredential credential = await credentials(options.CredentialsFile).ConfigureAwait(false);
        return new BigQueryConnection(
            GoogleChannels.Secure(options.Endpoint, credential, [.. Scopes]),
            new Uri("https://" + options.Endpoint),
            isEmulator: false);
    }

    public void Dispose() => _channel.Dispose();
}
