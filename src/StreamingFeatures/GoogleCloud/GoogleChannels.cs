using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using Grpc.Net.Client;

namespace StreamingFeatures.GoogleCloud;

/// <summary>
/// Channels to Google Cloud APIs and to their emulators, the same way for Bigtable, BigQuery and Pub/Sub: an emulator
/// gets plaintext HTTP/2; Google Cloud gets TLS and OAuth tokens from Application Default Credentials (or a key file),
/// refreshed per call by Google.Apis.Auth. Responses of any size are accepted, as Google's clients do.
/// </summary>
internal static class GoogleChannels
{
    /// <summary>A plaintext channel to the emulator at <paramref name="host"/> (<c>host:port</c>), and its address.</summary>
    public static (GrpcChannel Channel, Uri Address) Emulator(string host)
    {
        var address = new Uri("http://" + host.Trim());
        return (GrpcChannel.ForAddress(address, new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure, MaxReceiveMessageSize = null }), address);
    }

    public static GrpcChannel Secure(string endpoint, ICredential credential, params string[] scopes) =>
        GrpcChannel.ForAddress("https://" + endpoint, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(ChannelCredentials.SecureSsl, CallCredentials.FromInterceptor(BearerToken(credential, scopes))),
            MaxReceiveMessageSize = null,
        });

    /// <exception cref="CredentialsException">No Application Default Credentials, or an unreadable key file.</exception>
    public static async Task<ICredential> LoadCredentialAsync(string? file, CancellationToken cancellationToken)
    {
        try
        {
            return file is null
                ? await GoogleCredential.GetApplicationDefaultAsync(cancellationToken).ConfigureAwait(false)
                : (await CredentialFactory.FromFileAsync<ServiceAccountCredential>(file, cancellationToken).ConfigureAwait(false)).ToGoogleCredential();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or ArgumentException or Newtonsoft.Json.JsonException)
        {
            throw new CredentialsException(
                file is null
                    ? $"Google Cloud credentials: Application Default Credentials were not found ({e.Message}). Run 'gcloud auth application-default login', set GOOGLE_APPLICATION_CREDENTIALS, use Workload Identity, or pass a service-account key file."
                    : $"Google Cloud credentials: the key file {file} cannot be used: {e.Message}",
                e);
        }
    }

    /// <summary>Adds <c>authorization: Bearer …</c> to every call, with a token Google.Apis.Auth caches and refreshes.</summary>
    public static AsyncAuthInterceptor BearerToken(ICredential credential, params string[] scopes)
    {
        ITokenAccess access = credential is GoogleCredential google && google.IsCreateScopedRequired
            ? google.CreateScoped(scopes)
            : credential;
        return async (context, metadata) =>
        {
            string token = await access.GetAccessTokenForRequestAsync(context.ServiceUrl, context.CancellationToken).ConfigureAwait(false);
            metadata.Add("authorization", "Bearer " + token);
        };
    }
}
