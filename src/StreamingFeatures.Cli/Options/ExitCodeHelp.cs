using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace StreamingFeatures.Cli.Options;

/// <summary>
/// An "Exit codes:" section at the end of a command's <c>--help</c>, so a job runner's author learns them where they
/// read the flags. Commands declare theirs with <see cref="WithExitCodes{TCommand}"/>; <see cref="Install"/> wraps
/// the root's help action (the help option is recursive, so one wrapper serves every subcommand).
/// </summary>
internal static class ExitCodeHelp
{
    private static readonly ConditionalWeakTable<Command, IReadOnlyList<ExitCode>> s_codes = [];

    /// <summary>Declares the exit codes <paramref name="command"/> lists in its help.</summary>
    public static TCommand WithExitCodes<TCommand>(this TCommand command, params ExitCode[] codes)
        where TCommand : Command
    {
        s_codes.AddOrUpdate(command, codes);
        return command;
    }

    /// <summary>Appends each command's exit codes to the help <paramref name="root"/> prints.</summary>
    public static void Install(RootCommand root)
    {
        foreach (Option option in root.Options)
        {
            if (option.Action is SynchronousCommandLineAction help && option.Name == "--help")
            {
                option.Action = new WithSection(help);
            }
        }
    }

    /// <summary>The section for <paramref name="command"/>, or empty when it declared none.</summary>
    public static string Section(Command command)
    {
        if (!s_codes.TryGetValue(command, out IReadOnlyList<ExitCode>? codes) || codes.Count == 0)
        {
            return string.Empty;
        }

        var text = new System.Text.StringBuilder("Exit codes:").AppendLine();
        foreach (ExitCode code in codes)
        {
            text.Append("  ").Append(code.Code.ToString(System.Globalization.CultureInfo.InvariantCulture).PadRight(5)).AppendLine(code.Meaning);
        }

        return text.ToString();
    }

    private sealed class WithSection(SynchronousCommandLineAction help) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => help.ClearsParseErrors;

        public override int Invoke(ParseResult parseResult)
        {
            int exit = help.Invoke(parseResult);
            string section = Section(parseResult.CommandResult.Command);
            if (section.Length > 0)
            {
                Console.Out.WriteLine(section);
            }

            return exit;
        }
    }
}

/// <summary>One exit code and what it means for the command that lists it.</summary>
internal sealed record ExitCode(int Code, string Meaning);
