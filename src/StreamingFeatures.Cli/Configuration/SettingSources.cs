using System.Collections;
using System.CommandLine;

namespace StreamingFeatures.Cli.Configuration;

/// <summary>
/// The three places a command's settings come from, each overriding the one before: a JSON or YAML file
/// (<c>--config PATH</c>, or <c>STREAMINGFEATURES_CONFIG</c>), environment variables (<c>STREAMINGFEATURES_</c> and the
/// flag's name without dashes, e.g. <c>STREAMINGFEATURES_CHECKPOINTINTERVAL</c>; an underscore may separate words),
/// and flags. Values from the file and the environment become the flag tokens they stand for, so every value is
/// parsed and checked by the same option parser, whatever its source; <see cref="OriginOf(Option)"/> says where each came from.
/// </summary>
internal sealed partial class SettingSources
{
    public const string EnvironmentPrefix = "STREAMINGFEATURES_";
    public const string ConfigFlag = "--config";
    public const string ConfigVariable = EnvironmentPrefix + "CONFIG";

    private readonly Dictionary<string, string> _origins = new(StringComparer.Ordinal);
    private readonly List<string> _tokens = [];
    private readonly List<string> _problems = [];
    private readonly List<string> _ignored = [];

    private SettingSources()
    {
    }

    /// <summary>Flag tokens (<c>--name=value</c>) for the settings the file or the environment gives and the command line does not.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>Problems with the file itself: missing, unreadable, an unknown key, a value that is an object.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Each setting this run took from the file or the environment: <c>--table (environment STREAMINGFEATURES_TABLE)</c>.</summary>
    public IReadOnlyList<string> Taken => [.. _origins.Select(o => $"{o.Key} ({o.Value})").Order(StringComparer.Ordinal)];

    /// <summary>Every setting name of every command (normalized), once <see cref="AddConfigOption"/> has seen the tree.</summary>
    public static IReadOnlySet<string> KnownEverywhere { get; private set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary><c>STREAMINGFEATURES_*</c> variables that name no setting of any command: ignored, with a warning.</summary>
    public IReadOnlyList<string> Ignored => _ignored;

    /// <summary>
    /// What <paramref name="command"/> (parsed as <paramref name="parse"/>) takes from the file and the environment.
    /// <paramref name="root"/> names every command's settings, so a variable meant for another command is not reported.
    /// </summary>
    public static SettingSources Resolve(Command root, Command command, ParseResult parse, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(environment);
        var sources = new SettingSources();
        Dictionary<string, Option> settings = Settable(command).ToDictionary(o => Normalize(o.Name), StringComparer.Ordinal);
        Dictionary<string, string> variables = Variables(environment);

        var known = new HashSet<string>(AllCommands(root).SelectMany(Settable).Select(o => Normalize(o.Name)), StringComparer.Ordinal) { Normalize("config") };
        string? file = null;
        IReadOnlySet<string> otherCommands = new HashSet<string>(StringComparer.Ordinal);
        if (parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == ConfigFlag) is Option<FileInfo?> config && parse.GetValue(config) is { } given)
        {
            file = given.FullName;
        }
        else if (variables.TryGetValue(Normalize("config"), out string? fromVariable))
        {
            // A file named in the environment serves every command: keys of another command are not this one's problem.
            file = Path.GetFullPath(fromVariable);
            otherCommands = known;
        }

        Dictionary<string, IReadOnlyList<string>> fromFile = file is null ? [] : sources.ReadFile(file, settings, otherCommands);
        foreach ((string normalized, Option option) in settings)
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                continue; // A flag wins.
            }

            if (variables.TryGetValue(normalized, out string? value))
            {
                sources.Add(option, [value], "environment " + EnvironmentName(option));
            }
            else if (fromFile.TryGetValue(normalized, out IReadOnlyList<string>? values))
            {
                sources.Add(option, values, "file " + file);
            }
        }

        foreach (string key in VariableNames(environment).Where(name => !known.Contains(Normalize(name[EnvironmentPrefix.Length..]))).Order(StringComparer.Ordinal))
        {
            sources._ignored.Add(key);
        }

        return sources;
    }

    /// <summary>
    /// Gives every command that runs something (one without subcommands) a <c>--config</c> option, but
    /// <paramref name="except"/>, which has its own.
    /// </summary>
    public static void AddConfigOption(Command root, string except)
    {
        KnownEverywhere = new HashSet<string>(AllCommands(root).SelectMany(c => c.Options).Select(o => Normalize(o.Name)), StringComparer.Ordinal) { Normalize("config") };
        foreach (Command command in AllCommands(root).Where(c => c.Subcommands.Count == 0 && c.Name != except && c.Options.All(o => o.Name != ConfigFlag)))
        {
            command.Options.Add(new Option<FileInfo?>(ConfigFlag)
            {
                Description = $"A JSON or YAML file of settings: keys are this command's flags without the leading dashes (e.g. {{\"checkpoint-interval\": \"90s\"}}). {EnvironmentPrefix}<FLAG> variables (e.g. {EnvironmentPrefix}CHECKPOINTINTERVAL) override it, flags override both. Also {ConfigVariable}.",
            });
        }
    }

    /// <summary>Where <paramref name="option"/>'s value came from when not a flag: "environment STREAMINGFEATURES_X" or "file PATH"; else null.</summary>
    public string? OriginOf(Option option) => _origins.GetValueOrDefault(option.Name);

    /// <summary>Where the value of the flag named <paramref name="flag"/> came from when not the command line; else null.</summary>
    public string? OriginOf(string flag) => _origins.GetValueOrDefault(flag);

    /// <summary>The variable that sets <paramref name="option"/>: <c>STREAMINGFEATURES_CHECKPOINTINTERVAL</c> for <c>--checkpoint-interval</c>.</summary>
    public static string EnvironmentName(Option option) => EnvironmentPrefix + Normalize(option.Name).ToUpperInvariant();

    /// <summary>The options a file or variable may set: all but help, version and the file itself.</summary>
    public static IEnumerable<Option> Settable(Command command) =>
        command.Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal) && o.Name is not (ConfigFlag or "--help" or "--version") && !o.Hidden);

    /// <summary>A setting's name as files and variables may spell it: no dashes or underscores, any case.</summary>
    public static string Normalize(string name) =>
        name.TrimStart('-').Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private void Add(Option option, IReadOnlyList<string> values, string origin)
    {
        _origins[option.Name] = origin;
        foreach (string value in values)
        {
            _tokens.Add($"{option.Name}={value}");
        }
    }

    private static IEnumerable<Command> AllCommands(Command command) => command.Subcommands.SelectMany(AllCommands).Prepend(command);

    private static IEnumerable<string> VariableNames(IDictionary environment) =>
        environment.Keys.OfType<string>().Where(name => name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > EnvironmentPrefix.Length && !name.Contains("__", StringComparison.Ordinal));

    private static Dictionary<string, string> Variables(IDictionary environment)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in VariableNames(environment))
        {
            if (environment[name] is string { Length: > 0 } value)
            {
                variables[Normalize(name[EnvironmentPrefix.Length..])] = value;
            }
        }

        return variables;
    }
}
