using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.GoogleCloud;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// A channel to Pub/Sub: an emulator (plaintext; given, or named by <c>PUBSUB_EMULATOR_HOST</c> as Google's clients
/// do) or Google Cloud (TLS, OAuth tokens from Application Default Credentials or a key file, refreshed per call).
/// </summary>
public sealed class PubSubConnection : IDisposable
{
    public const string EmulatorHostVariable = "PUBSUB_EMULATOR_HOST";
    public const string Endpoint = "pubsub.googleapis.com:443";
    public const string Scope = "https://www.googleapis.com/auth/pubsub";

    private readonly GrpcChannel _channel;

    private PubSubConnection(GrpcChannel channel, Uri address, bool isEmulator)
    {
        _channel = channel;
        Address = address;
        IsEmulator = isEmulator;
    }

    public Uri Address { get; }

    public bool IsEmulator { get; }

    public CallInvoker CallInvoker => _channel.CreateCallInvoker();

    /// <exception cref="CredentialsException">Google Cloud without usable credentials.</exception>
    public static Task<PubSubConnection> ConnectAsync(string? emulatorHost, string? credentialsFile, CancellationToken cancellationToken) =>
        ConnectAsync(emulatorHost, credentialsFile, Environment.GetEnvironmentVariable, file => GoogleChannels.LoadCredentialAsync(file, cancellationToken));

    internal static async Task<PubSubConnection> ConnectAsync(
        string? emulatorHost,
        string? credentialsFile,
        Func<string, string?> environment,
        Func<string?, Task<ICredential>> credentials)
    {
        string? emulator = emulatorHost ?? environment(EmulatorHostVariable);
        if (!string.IsNullOrWhiteSpace(emulator))
        {
            (GrpcChannel channel, Uri address) = GoogleChannels.Emulator(emulator);
            return new PubSubConnection(channel, address, isEmulator: true);
        }

        ICredential credential = await credentials(credentialsFile).ConfigureAwait(false);
        return new PubSubConnection(GoogleChannels.Secure(Endpoint, credential, Scope), new Uri("https://" + Endpoint), isEmulator: false);
    }

    public void Dispose() => _channel.Dispose();
}
