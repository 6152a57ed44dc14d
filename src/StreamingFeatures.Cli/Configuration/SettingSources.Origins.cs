using System.CommandLine;

namespace StreamingFeatures.Cli.Configuration;

/// <summary>Messages about a value name where it came from, so the user knows which file or variable to fix.</summary>
internal sealed partial class SettingSources
{
    /// <summary>No file, no variables: every value is a flag.</summary>
    public static SettingSources None { get; } = new();

    /// <summary>
    /// The sources of the command being run, for messages written after parsing (checks of the settings together);
    /// <see cref="None"/> until <c>Program</c> resolves them.
    /// </summary>
    public static SettingSources Current { get; set; } = None;

    /// <summary>
    /// <paramref name="message"/> with the origin of the flag it is about, when that flag's value came from the file or
    /// the environment: <c>--checkpoint-interval is '5x' (environment STREAMINGFEATURES_CHECKPOINTINTERVAL); allowed ...</c>.
    /// A message about several flags names the origin of its first. Lines are annotated one by one.
    /// </summary>
    public string Annotate(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_origins.Count == 0)
        {
            return message;
        }

        return string.Join(Environment.NewLine, message.Split(Environment.NewLine).Select(AnnotateLine));
    }

    /// <summary>The origin for a parse error's option, if its value came from the file or the environment.</summary>
    public string Annotate(string message, Option? option) =>
        option is not null && OriginOf(option) is { } origin ? Insert(message, option.Name, origin) : message;

    private string AnnotateLine(string line)
    {
        int start = line.IndexOf("--", StringComparison.Ordinal);
        if (start < 0)
        {
            return line;
        }

        int end = start + 2;
        while (end < line.Length && (char.IsAsciiLetterOrDigit(line[end]) || line[end] == '-'))
        {
            end++;
        }

        string flag = line[start..end];
        return OriginOf(flag) is { } origin ? Insert(line, flag, origin) : line;
    }

    /// <summary>After <c>--flag is 'value'</c> when the message has that form, else at the end.</summary>
    private static string Insert(string message, string flag, string origin)
    {
        if (message.Contains($"({origin})", StringComparison.Ordinal))
        {
            return message;
        }

        string lead = flag + " is '";
        int at = message.IndexOf(lead, StringComparison.Ordinal);
        if (at >= 0)
        {
            int close = message.IndexOf('\'', at + lead.Length);
            if (close > 0)
            {
                return message[..(close + 1)] + $" ({origin})" + message[(close + 1)..];
            }
        }

        string trimmed = message.TrimEnd('.');
        return $"{trimmed} ({flag} from {origin}).";
    }
}
