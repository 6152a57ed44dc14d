using System.CommandLine;
using System.CommandLine.Parsing;
using StreamingFeatures.Cli.Configuration;

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
    /// <param name="parse">The parse that failed.</param>
    /// <param name="error">Where to write.</param>
    /// <param name="sources">Where values not given as flags came from: each error about one names its file or variable.</param>
    public static int Report(ParseResult parse, TextWriter error, SettingSources? sources = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(error);
        sources ??= SettingSources.None;
        return Report(parse.CommandResult.Command, parse.Errors.Select(e => sources.Annotate(e.Message, OptionOf(e.SymbolResult))), error);
    }

    /// <summary>Writes each of <paramref name="problems"/> once, then the help hint; returns <see cref="ExitCodes.BadInput"/>.</summary>
    public static int Report(Command command, IEnumerable<string> problems, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(error);
        foreach (string message in problems.Distinct(StringComparer.Ordinal))
        {
            error.WriteLine("error: " + message);
        }

        error.WriteLine($"See '{CommandPath(command)} --help'.");
        return ExitCodes.BadInput;
    }

    private static Option? OptionOf(SymbolResult? result) => result switch
    {
        OptionResult option => option.Option,
        ArgumentResult { Parent: OptionResult option } => option.Option,
        _ => null,
    };

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
