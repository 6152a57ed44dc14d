using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.GoogleCloud;

namespace StreamingFeatures.Bigtable;

/// <summary>
/// Channels to Bigtable's data and admin APIs, for an emulator or a real instance. Real instances get TLS and
/// OAuth tokens from Application Default Credentials (or a key file), refreshed per call by Google.Apis.Auth.
/// </summary>
public sealed class BigtableConnection : IDisposable
{
    public const string DataScope = "https://www.googleapis.com/auth/bigtable.data";
    public const string AdminScope = "https://www.googleapis.com/auth/bigtable.admin.table";
    private const string EmulatorProject = "emulator";

    private readonly GrpcChannel _data;
    private readonly GrpcChannel _admin;

    private BigtableConnection(GrpcChannel data, GrpcChannel admin, string instanceName, string? appProfileId, bool isEmulator)
    {
        _data = data;
        _admin = admin;
        InstanceName = instanceName;
        AppProfileId = appProfileId;
        IsEmulator = isEmulator;
    }

    public bool IsEmulator { get; }

    /// <summary><c>projects/P/instances/I</c>.</summary>
    public string InstanceName { get; }

    public string? AppProfileId { get; }

    /// <summary>The data API address: <c>http://</c> for an emulator, <c>https://</c> for Google Cloud.</summary>
    public Uri DataAddress { get; private init; } = null!;

    public CallInvoker Data => _data.CreateCallInvoker();

    public CallInvoker Admin => _admin.CreateCallInvoker();

    public string TableName(string tableId) => $"{InstanceName}/tables/{tableId}";

    /// <summary>Data calls to table <paramref name="tableId"/> of this instance, through the connection's app profile.</summary>
    public BigtableTarget Target(string tableId) => new(Data, TableName(tableId), AppProfileId);

    /// <exception cref="ArgumentException">Neither an emulator nor a project and instance are named.</exception>
    public static Task<BigtableConnection> ConnectAsync(BigtableConnectionOptions options, CancellationToken cancellationToken = default) =>
        ConnectAsync(options, Environment.GetEnvironmentVariable, file => GoogleChannels.LoadCredentialAsync(file, cancellationToken));

    internal static async Task<BigtableConnection> ConnectAsync(
        BigtableConnectionOptions options,
        Func<string, string?> environment,
        Func<string?, Task<ICredential>> credentials)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? emulator = options.EmulatorHost ?? environment(BigtableConnectionOptions.EmulatorHostVariable);
        if (!string.IsNullOrWhiteSpace(emulator))
        {
            string instance = $"projects/{options.Project ?? EmulatorProject}/instances/{options.Instance ?? EmulatorProject}";
            (GrpcChannel channel, Uri address) = GoogleChannels.Emulator(emulator);
            return new BigtableConnection(channel, channel, instance, options.AppProfileId, isEmulator: true) { DataAddress = address };
        }

        if (string.IsNullOrWhiteSpace(options.Project) || string.IsNullOrWhiteSpace(options.Instance))
        {
            throw new ConnectionSettingsException(
                $"Bigtable: name a Google Cloud project and instance (Project='{options.Project}', Instance='{options.Instance}'), or set {BigtableConnectionOptions.EmulatorHostVariable} to use an emulator.");
        }

        ICredential credential = await credentials(options.CredentialsFile).ConfigureAwait(false);
        GrpcChannel data = GoogleChannels.Secure(options.DataEndpoint, credential, DataScope);
        GrpcChannel admin = GoogleChannels.Secure(options.AdminEndpoint, credential, AdminScope);
        return new BigtableConnection(data, admin, $"projects/{options.Project}/instances/{options.Instance}", options.AppProfileId, isEmulator: false)
        {
            DataAddress = new Uri("https://" + options.DataEndpoint),
        };
    }

    public void Dispose()
    {
        _data.Dispose();
        if (!ReferenceEquals(_admin, _data))
        {
            _admin.Dispose();
        }
    }
}
