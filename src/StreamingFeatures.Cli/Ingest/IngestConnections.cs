using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Ingest.Local;
using StreamingFeatures.GoogleCloud;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>Opens the service's connections; <see cref="IngestConnections.OpenAsync"/> in production.</summary>
internal delegate Task<IngestConnections> IngestConnector(IngestSettings settings, CancellationToken cancellationToken);

/// <summary>
/// Pub/Sub and Bigtable for one run: in local mode the emulators (started here, or named by the environment) with
/// the topic, subscription and dead-letter topic created; otherwise Google Cloud with TLS and credentials.
/// </summary>
internal sealed class IngestConnections : IAsyncDisposable
{
    private IngestConnections(LocalEmulators? emulators, PubSubConnection pubSub, BigtableConnection bigtable)
    {
        Emulators = emulators;
        PubSub = pubSub;
        Bigtable = bigtable;
    }

    public LocalEmulators? Emulators { get; }

    public PubSubConnection PubSub { get; }

    public BigtableConnection Bigtable { get; }

    /// <exception cref="CredentialsException">Google Cloud without usable credentials.</exception>
    /// <exception cref="Emulators.EmulatorNotInstalledException">Local mode without the emulators.</exception>
    public static async Task<IngestConnections> OpenAsync(IngestSettings settings, CancellationToken cancellationToken)
    {
        LocalEmulators? emulators = settings.Local ? await LocalEmulators.StartAsync(cancellationToken).ConfigureAwait(false) : null;
        try
        {
            return await ConnectAsync(settings, emulators, emulators?.PubSub.Endpoint, emulators?.Bigtable.Endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (emulators is not null)
            {
                await emulators.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Local mode on emulators that already run at these endpoints, left running on dispose (tests).</summary>
    public static Task<IngestConnections> OpenEmulatorsAsync(IngestSettings settings, string pubSubEndpoint, string bigtableEndpoint, CancellationToken cancellationToken) =>
        ConnectAsync(settings, null, pubSubEndpoint, bigtableEndpoint, cancellationToken);

    private static async Task<IngestConnections> ConnectAsync(IngestSettings settings, LocalEmulators? emulators, string? pubSubHost, string? bigtableHost, CancellationToken cancellationToken)
    {
        PubSubConnection? pubSub = null;
        BigtableConnection? bigtable = null;
        try
        {
            pubSub = await PubSubConnection.ConnectAsync(pubSubHost, settings.CredentialsFile, cancellationToken).ConfigureAwait(false);
            bigtable = await BigtableConnection.ConnectAsync(
                new BigtableConnectionOptions
                {
                    EmulatorHost = bigtableHost,
                    Project = settings.Project ?? (settings.Local ? IngestSettings.LocalProject : null),
                    Instance = settings.Instance ?? (settings.Local ? IngestSettings.LocalProject : null),
                    AppProfileId = settings.AppProfile,
                    CredentialsFile = settings.CredentialsFile,
                },
                cancellationToken).ConfigureAwait(false);
            if (settings.Local)
            {
                await LocalEmulators.ProvisionAsync(pubSub.CallInvoker, settings, cancellationToken).ConfigureAwait(false);
            }

            return new IngestConnections(emulators, pubSub, bigtable);
        }
        catch
        {
            bigtable?.Dispose();
            pubSub?.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Bigtable.Dispose();
        PubSub.Dispose();
        if (Emulators is not null)
        {
            await Emulators.DisposeAsync().ConfigureAwait(false);
        }
    }
}
