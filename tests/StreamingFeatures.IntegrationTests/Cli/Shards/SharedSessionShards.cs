using System.Globalization;

namespace StreamingFeatures.IntegrationTests.Cli.Shards;

/// <summary>
/// What every shared-session test starts from: a workspace, a Bigtable table for the shards' plan and checkpoints,
/// one <c>emulator bigquery</c> process serving a synthetic table of 8 features, and each shard's <c>migrate</c> line.
/// </summary>
internal sealed class SharedSessionShards : IAsyncDisposable
{
    public const string Source = "projects/p/datasets/d/tables/t";

    private readonly int _shardCount;

    private SharedSessionShards(MigrationWorkspace workspace, TargetTable checkpoints, BigQueryEmulatorProcess bigQuery, int shardCount)
    {
        Workspace = workspace;
        Checkpoints = checkpoints;
        BigQuery = bigQuery;
        _shardCount = shardCount;
    }

    public MigrationWorkspace Workspace { get; }

    /// <summary>The <c>bigtable:TABLE</c> checkpoint store every shard shares.</summary>
    public TargetTable Checkpoints { get; }

    public BigQueryEmulatorProcess BigQuery { get; }

    /// <summary>The shared cbtemulator and the BigQuery emulator's endpoint.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    /// <summary>Starts the BigQuery emulator with a table of <paramref name="rows"/> rows; each ReadRows call at <paramref name="servedRowsPerSecond"/> (0: unpaced).</summary>
    public static async Task<SharedSessionShards> StartAsync(string name, long rows, int shardCount, int servedRowsPerSecond, CancellationToken cancellationToken)
    {
        MigrationWorkspace workspace = MigrationWorkspace.Create(name);
        var shards = new SharedSessionShards(
            workspace,
            new TargetTable(EmulatorFixture.UniqueName("plan")),
            BigQueryEmulatorProcess.Start(workspace.Folder, Source + "=synthetic:rows=" + rows.ToString(CultureInfo.InvariantCulture) + ",features=8", servedRowsPerSecond),
            shardCount);
        try
        {
            string endpoint = await shards.BigQuery.WaitForEndpointAsync(cancellationToken);
            FeatureSetFile.WriteSynthetic(workspace.PathOf("features.yaml"), "ignored_by_table_flag", features: 8);
            shards.Environment = new Dictionary<string, string>(MigrationWorkspace.SharedEmulator) { [CliProcess.BigQueryHostVariable] = endpoint };
            return shards;
        }
        catch
        {
            await shards.DisposeAsync();
            throw;
        }
    }

    public static string Summary(int shard) => string.Create(CultureInfo.InvariantCulture, $"s{shard}.json");

    /// <summary>Shard <paramref name="shard"/>'s command line: the shared source, table and store, its summary, then <paramref name="more"/>.</summary>
    public string[] Arguments(int shard, params string[] more) =>
    [
        "migrate", "--source", "bigquery:" + Source, "--feature-set", "features.yaml", "--table", Workspace.Table.Id,
        "--shard-index", shard.ToString(CultureInfo.InvariantCulture), "--shard-count", _shardCount.ToString(CultureInfo.InvariantCulture),
        "--checkpoint", "bigtable:" + Checkpoints.Id, "--summary-json", Summary(shard), .. more,
    ];

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Checkpoints.DeleteAsync();
        }
        finally
        {
            BigQuery.Dispose();
            await Workspace.DisposeAsync();
        }
    }
}
