using System.Reflection;
using StreamingFeatures.Cli;

namespace StreamingFeatures.IntegrationTests.Cli.Install;

/// <summary>
/// The CLI packed as a .NET tool and installed the way the README shows, all in one temporary folder: the package
/// (packed from the build these tests run on, so no second compilation), a nuget.config naming only that package's
/// folder (the install never asks a remote feed), a NuGet cache of its own, and the tool path.
/// </summary>
internal sealed class ToolInstallation : IDisposable
{
    private static readonly TimeSpan s_packTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan s_installTimeout = TimeSpan.FromMinutes(3);

    private ToolInstallation(string root, string version)
    {
        Root = root;
        Version = version;
    }

    public string Root { get; }

    /// <summary>The package version, as <c>dotnet tool install --version</c> takes it.</summary>
    public string Version { get; }

    /// <summary>The installed command's shim, as <c>--tool-path</c> puts it.</summary>
    public string Command => Path.Combine(Root, "tools", VersionText.CommandName);

    private string Packages => Path.Combine(Root, "packages");

    public static async Task<ToolInstallation> PackAndInstallAsync(CancellationToken cancellationToken)
    {
        Assembly cli = typeof(VersionText).Assembly;
        string version = VersionText.PackageVersion(cli.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
        string configuration = cli.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var installation = new ToolInstallation(Directory.CreateTempSubdirectory("sf-tool-").FullName, version);
        try
        {
            await installation.PackAsync(configuration, cancellationToken);
            await installation.InstallAsync(cancellationToken);
            return installation;
        }
        catch
        {
            installation.Dispose();
            throw;
        }
    }

    /// <summary>The dotnet CLI's variables for a quiet, self-contained run: NuGet's cache in the temporary folder.</summary>
    public IReadOnlyDictionary<string, string?> DotnetEnvironment => new Dictionary<string, string?>
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["NUGET_PACKAGES"] = Path.Combine(Root, "nuget-cache"),
    };

    public void Dispose() => Directory.Delete(Root, recursive: true);

    // The build is the one the tests were built from (same configuration, `dotnet test` built it just before), so
    // --no-build packs it as it is; the publish folder and the nuspec go to the temporary folder, not the repository.
    private async Task PackAsync(string configuration, CancellationToken cancellationToken)
    {
        string project = Path.Combine(RepositoryRoot(), "src", "StreamingFeatures.Cli", "StreamingFeatures.Cli.csproj");
        CliResult pack = await BoundedProcess.RunAsync(
            "dotnet",
            ["pack", project, "--no-build", "--configuration", configuration, "--output", Packages, "-nodeReuse:false",
                $"-p:PublishDir={Path.Combine(Root, "publish")}/", $"-p:NuspecOutputPath={Path.Combine(Root, "nuspec")}/"],
            Root,
            DotnetEnvironment,
            s_packTimeout,
            cancellationToken);
        Assert.AreEqual(0, pack.Code, pack.Output);
        Assert.IsTrue(File.Exists(Path.Combine(Packages, $"StreamingFeatures.Cli.{Version}.nupkg")), pack.Output);
    }

    private async Task InstallAsync(CancellationToken cancellationToken)
    {
        string config = Path.Combine(Root, "nuget.config");
        await File.WriteAllTextAsync(
            config,
            $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="artifacts" value="{Packages}" />
              </packageSources>
            </configuration>
            """,
            cancellationToken);
        CliResult install = await BoundedProcess.RunAsync(
            "dotnet",
            ["tool", "install", "StreamingFeatures.Cli", "--tool-path", Path.Combine(Root, "tools"), "--version", Version, "--configfile", config],
            Root,
            DotnetEnvironment,
            s_installTimeout,
            cancellationToken);
        Assert.AreEqual(0, install.Code, install.Output);
        Assert.IsTrue(File.Exists(Command), install.Output);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StreamingFeatures.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No StreamingFeatures.sln above {AppContext.BaseDirectory}.");
    }
}
