using System.CommandLine;
using System.CommandLine.Parsing;

namespace StreamingFeatures.Cli.Options;

/// <summary>
/// File and folder options that refuse an empty or malformed path in the user's words: System.CommandLine's own error
/// names <c>System.IO.FileInfo</c>. Whether the file exists is each command's check, with its own message.
/// </summary>
internal static class PathOptions
{
    public static Option<FileInfo?> FilePath(this Option<FileInfo?> option)
    {
        option.CustomParser = result => Parse(result, "a file path", path => new FileInfo(path));
        return option;
    }

    public static Option<DirectoryInfo?> FolderPath(this Option<DirectoryInfo?> option)
    {
        option.CustomParser = result => Parse(result, "a folder path", path => new DirectoryInfo(path));
        return option;
    }

    private static T? Parse<T>(ArgumentResult result, string allowed, Func<string, T> create)
        where T : class
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        string name = result.Parent is OptionResult parent ? parent.Option.Name : result.Argument.Name;
        if (string.IsNullOrWhiteSpace(text) || text.Contains('\0', StringComparison.Ordinal))
        {
            result.AddError($"{name} is '{text}'; allowed: {allowed}.");
            return null;
        }

        try
        {
            return create(text);
        }
        catch (Exception e) when (e is ArgumentException or PathTooLongException or NotSupportedException)
        {
            result.AddError($"{name} is '{text}'; allowed: {allowed} ({e.Message}).");
            return null;
        }
    }
}
