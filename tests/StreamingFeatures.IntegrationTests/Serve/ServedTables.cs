using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Serve;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.IntegrationTests.Serve;

/// <summary>A serve host started in process on free ports, reading the cbtemulator (or a closed port), and its clients.</summary>
internal sealed class ServedTables : IAsyncDisposable
{
    private readonly BigtableConnection _connection;

    private ServedTables(WebApplication app, BigtableConnection connection, int httpPort, int grpcPort)
    {
        App = app;
        _connection = connection;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        Channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        Client = new StreamingFeatures.Serving.V1.FeatureService.FeatureServiceClient(Channel);
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public Grpc.Net.Client.GrpcChannel Channel { get; }

    public StreamingFeatures.Serving.V1.FeatureService.FeatureServiceClient Client { get; }

    /// <summary>Serves <paramref name="featureSets"/> from the emulator, or from <paramref name="emulatorHost"/> when given.</summary>
    public static async Task<ServedTables> StartAsync(IReadOnlyList<FeatureSetOptions> featureSets, TimeSpan? timeout = null, string? emulatorHost = null, TimeSpan? drainTimeout = null)
    {
        var settings = new ServeSettings { FeatureSetFiles = [], Local = true, Timeout = timeout ?? TimeSpan.FromSeconds(5), DrainTimeout = drainTimeout ?? TimeSpan.FromSeconds(10) };
        BigtableConnection connection = await BigtableConnection.ConnectAsync(new BigtableConnectionOptions
        {
            EmulatorHost = emulatorHost ?? EmulatorFixture.Bigtable.Endpoint,
            Project = EmulatorFixture.Project,
            Instance = EmulatorFixture.Instance,
        });
        int http = ServeSettings.Resolve(0);
        int grpc = ServeSettings.Resolve(0);
        WebApplication app = ServeHost.Build(settings, featureSets, connection, http, grpc);
        await app.StartAsync();
        return new ServedTables(app, connection, http, grpc);
    }

    /// <summary>A loopback port nothing listens on.</summary>
    public static string ClosedEndpoint()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return $"127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}";
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _connection.Dispose();
    }
}
