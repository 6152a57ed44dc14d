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

    public static LogFormat? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "simple" or "text" => LogFormat.Simple,
        "json" => LogFormat.Json,
        _ => null,
    };
}
