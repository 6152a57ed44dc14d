using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace StreamingFeatures.Cli;

/// <summary>
/// What <c>streamingfeatures --version</c> prints: the command, the package version and the commit it was built from,
/// e.g. <c>streamingfeatures 0.14.0+ee35b96</c>, so a bug report or a job log names the exact build.
/// </summary>
internal static class VersionText
{
    public const string CommandName = "streamingfeatures";

    /// <summary>Git's usual abbreviation: enough to find the commit, short enough to read.</summary>
    private const int CommitLength = 7;

    /// <summary>This build's line.</summary>
    public static string Current { get; } = Format(
        typeof(VersionText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>The package version alone (what <c>dotnet tool install --version</c> takes), without the commit.</summary>
    public static string PackageVersion(string? informationalVersion)
    {
        string version = informationalVersion ?? "";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    /// <summary>
    /// The line for an assembly's informational version (<c>0.14.0+&lt;40-digit commit&gt;</c>, as the SDK writes it
    /// from git): the commit shortened; other build metadata, or none (a build without git), kept as it is.
    /// </summary>
    public static string Format(string? informationalVersion)
    {
        string version = PackageVersion(informationalVersion);
        if (version.Length == 0)
        {
            return CommandName + " (unknown version)";
        }

        string metadata = informationalVersion![version.Length..].TrimStart('+');
        if (metadata.Length > CommitLength && metadata.All(char.IsAsciiHexDigitLower))
        {
            metadata = metadata[..CommitLength];
        }

        return metadata.Length == 0 ? $"{CommandName} {version}" : $"{CommandName} {version}+{metadata}";
    }

    /// <summary>Makes the root command's built-in <c>--version</c> print <see cref="Current"/>.</summary>
    public static void Install(RootCommand root) =>
        root.Options.OfType<VersionOption>().Single().Action = new PrintVersion();

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Current);
            return ExitCodes.Success;
        }
    }
}
