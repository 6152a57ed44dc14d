using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace StreamingFeatures.Sources.Files;

/// <summary>Expands a file glob (<c>data/*.parquet</c>, <c>exports/**/part-*.csv</c>) relative to a base directory.</summary>
internal static class FileGlob
{
    /// <summary>
    /// The matching files as full paths, sorted by their path relative to <paramref name="baseDirectory"/> (ordinal),
    /// so file i is partition i on every run and machine.
    /// </summary>
    /// <exception cref="FileSourceException">The directory does not exist or nothing matches.</exception>
    public static IReadOnlyList<string> Expand(string baseDirectory, string glob)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        ArgumentException.ThrowIfNullOrEmpty(glob);
        string root = Path.GetFullPath(baseDirectory);
        if (!Directory.Exists(root))
        {
            throw new FileSourceException([$"The base directory '{root}' does not exist."]);
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(glob);
        string[] relative = [.. matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(root))).Files.Select(f => f.Path)];
        if (relative.Length == 0)
        {
            throw new FileSourceException([$"The glob '{glob}' matches no file under '{root}'."]);
        }

        Array.Sort(relative, StringComparer.Ordinal);
        return [.. relative.Select(p => Path.GetFullPath(Path.Combine(root, p)))];
    }

    /// <summary>The file's name as messages show it: relative to the base directory when it is under it.</summary>
    public static string Display(string baseDirectory, string file) => Path.GetRelativePath(Path.GetFullPath(baseDirectory), file);
}
