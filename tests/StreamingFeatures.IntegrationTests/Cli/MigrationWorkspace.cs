using System.Text.Json;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// What one migrate test owns: a temporary working directory for the CLI (checkpoints, dead letters, summaries) and
/// a uniquely named target table on the shared Bigtable emulator; both are removed on dispose.
/// </summary>
internal sealed class MigrationWorkspace : IAsyncDisposable
{
    public const string CheckpointFolder = "streamingfeatures-checkpoints";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private MigrationWorkspace(string folder, string table)
    {
        Folder = folder;
        Table = new TargetTable(table);
    }

    /// <summary>The CLI's working directory.</summary>
    public string Folder { get; }

    /// <summary>The migration's target table (<c>--table</c>) on the fixture's emulator.</summary>
    public TargetTable Table { get; }

    /// <summary><c>BIGTABLE_EMULATOR_HOST</c> for the child: the fixture's shared emulator.</summary>
    public static IReadOnlyDictionary<string, string> SharedEmulator => new Dictionary<string, string>
    {
        [CliProcess.BigtableHostVariable] = EmulatorFixture.Bigtable.Endpoint,
    };

    public static MigrationWorkspace Create(string prefix) =>
        new(Directory.CreateTempSubdirectory("sf-" + prefix + "-").FullName, EmulatorFixture.UniqueName(prefix));

    public string PathOf(string file) => Path.Combine(Folder, file);

    /// <summary>Runs the CLI in this workspace and waits for it.</summary>
    public Task<CliResult> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken) =>
        CliProcess.RunAsync(Folder, arguments, environment, cancellationToken);

    public CliProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment) =>
        CliProcess.Start(Folder, arguments, environment);

    /// <summary>The summary a run wrote with <c>--summary-json</c>.</summary>
    public MigrationSummary ReadSummary(string file) =>
        JsonSerializer.Deserialize<MigrationSummary>(File.ReadAllText(PathOf(file)), s_json)
        ?? throw new AssertFailedException($"{file} holds no summary.");

    /// <summary>
    /// The default checkpoint file in the working directory, or null while there is none. A file caught in the
    /// middle of its replacement reads as null too: the next poll sees it whole.
    /// </summary>
    public MigrationCheckpoint? ReadCheckpoint()
    {
        string directory = PathOf(CheckpointFolder);
        if (!Directory.Exists(directory))
        {
            return null;
        }

        string[] files = Directory.GetFiles(directory, "*.json");
        if (files.Length > 1)
        {
            throw new AssertFailedException($"One job, one checkpoint; found {string.Join(", ", files)}.");
        }

        try
        {
            return files.Length == 0 ? null : MigrationCheckpoint.FromJson(File.ReadAllText(files[0]), files[0]);
        }
        catch (Exception e) when (e is IOException or CheckpointException)
        {
            return null;
        }
    }

    /// <summary>Files the CLI left in its working directory, relative to it.</summary>
    public IReadOnlyList<string> Files() =>
        [.. Directory.GetFiles(Folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Folder, f)).Order(StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Table.DeleteAsync();
        }
        finally
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
