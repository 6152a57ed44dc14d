namespace StreamingFeatures.Cli.Options;

/// <summary>How a command writes its logs and progress: for people or for machines.</summary>
internal enum LogFormat
{
    /// <summary>Readable lines (the default on a terminal).</summary>
    Simple,

    /// <summary>One JSON object per line, numbers as numbers (the default when output is redirected, as in a container).</summary>
    Json,
}

/// <summary>The <c>--log-format</c> values as users type them, and the default for where output goes.</summary>
internal static class LogFormats
{
    public const string Allowed = "simple or json";

    /// <summary>Json when standard output is redirected (a pipe, a file, a container's log), else simple.</summary>
    public static LogFormat Default => Console.IsOutputRedirected ? LogFormat.Json : LogFormat.Simple;

    /// <summary>The format <paramref name="text"/> names, or the default for where output goes when none was given.</summary>
    public static LogFormat Resolve(string? text) => text is null ? Default : Parse(text) ?? Default;

    /// <summary>The one-line problem with a <c>--log-format</c> value, or null when it is fine (or not given).</summary>
    public static string? Problem(string? text) =>
        text is not null && Parse(text) is null ? $"--log-format is '{text}'; allowed {Allowed}." : null;

    /// <summary>The <c>--log-format</c> option; <paramref name="json"/> says what the JSON lines hold.</summary>
    public static System.CommandLine.Option<string?> Option(string json) => new("--log-format")
    {
        Description = $"simple (readable lines; the default on a terminal) or json ({json}, one JSON object per line on standard output; the default when output is redirected).",
    };

    /// <summary>
    /// Reads <paramref name="option"/>: <paramref name="json"/> is true for JSON lines; false after writing the error
    /// (naming where the value came from) for a value that is neither format.
    /// </summary>
    public static bool TryRead(System.CommandLine.ParseResult parse, System.CommandLine.Option<string?> option, out bool json)
    {
        string? text = parse.GetValue(option);
        json = Resolve(text) == LogFormat.Json;
        if (Problem(text) is { } problem)
        {
            Console.Error.WriteLine("error: " + Configuration.SettingSources.Current.Annotate(problem));
            return false;
        }

        return true;
    }

    public static LogFormat? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "simple" or "text" => LogFormat.Simple,
        "json" => LogFormat.Json,
        _ => null,
    };
}
