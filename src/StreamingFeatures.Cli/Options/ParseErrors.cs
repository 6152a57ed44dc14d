using System.CommandLine;

namespace StreamingFeatures.Cli.Options;

/// <summary>
/// Parse errors as one line each, the last line pointing at the command's help. System.CommandLine's default prints
/// the whole help first, which buries the one line that says what is wrong.
/// </summary>
internal static class ParseErrors
{
    /// <summary>The name users type; the root command's own name is the assembly's.</summary>
    public const string ToolName = "streamingfeatures";

    /// <summary>Writes every error of <paramref name="parse"/>, then the help hint; returns <see cref="ExitCodes.BadInput"/>.</summary>
    public static int Report(ParseResult parse, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(error);
        foreach (string message in parse.Errors.Select(e => e.Message).Distinct(StringComparer.Ordinal))
        {
            error.WriteLine("error: " + message);
        }

        error.WriteLine($"See '{CommandPath(parse.CommandResult.Command)} --help'.");
        return ExitCodes.BadInput;
    }

    /// <summary><c>streamingfeatures migrate</c> for the migrate command.</summary>
    public static string CommandPath(Command command)
    {
        var names = new Stack<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Push(c is RootCommand ? ToolName : c.Name);
        }

        return string.Join(' ', names);
    }
}
