namespace StreamingFeatures.IntegrationTests.Cli.LoadTest;

/// <summary>A temporary folder for one load-test run: its profile, its reports, and the CLI run inside it.</summary>
internal sealed class LoadTestWorkspace : IDisposable
{
    private LoadTestWorkspace(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>The shared Bigtable emulator of the test run.</summary>
    public static IReadOnlyDictionary<string, string> SharedBigtable => new Dictionary<string, string>
    {
        [CliProcess.BigtableHostVariable] = EmulatorFixture.Bigtable.Endpoint,
    };

    public static LoadTestWorkspace Create(string name)
    {
        string directory = Path.Combine(Path.GetTempPath(), "loadtest-it", $"{name}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        return new LoadTestWorkspace(directory);
    }

    public string PathOf(string relative) => Path.Combine(Directory, relative);

    public string Write(string file, string text)
    {
        File.WriteAllText(PathOf(file), text);
        return file;
    }

    public Task<CliResult> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken) =>
        CliProcess.RunAsync(Directory, arguments, environment, cancellationToken);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A report still open elsewhere: the temp folder is cleaned some other day.
        }
    }
}
