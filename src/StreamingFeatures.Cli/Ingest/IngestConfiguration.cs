using System.Collections;
using Microsoft.Extensions.Configuration;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>
/// The ingest service's settings from three layers, each overriding the one before: a JSON file
/// (<c>--config PATH</c>), environment variables prefixed <c>STREAMINGFEATURES_</c> (<c>__</c> separates sections),
/// and flags. Remembers which layer gave each value, so a bad value's message says where to fix it.
/// </summary>
internal sealed class IngestConfiguration
{
    /// <summary>A section of the file passed to the host as it is (log levels), not an ingest setting.</summary>
    public const string LoggingSection = "Logging";

    private readonly string? _file;
    private readonly HashSet<string> _fileKeys;
    private readonly Dictionary<string, string?> _environment;
    private readonly Dictionary<string, string?> _flags;

    private IngestConfiguration(IConfigurationRoot root, string? file, Dictionary<string, string?> environment, Dictionary<string, string?> flags)
    {
        Root = root;
        _file = file;
        _fileKeys = new HashSet<string>(
            root.Providers.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationProvider>().SelectMany(p => p.GetChildKeys([], null)),
            StringComparer.OrdinalIgnoreCase);
        _environment = environment;
        _flags = flags;
    }

    /// <summary>All layers merged; the host reads its <c>Logging</c> section from here.</summary>
    public IConfigurationRoot Root { get; }

    /// <exception cref="IngestConfigurationException">The file is missing or is not valid JSON.</exception>
    public static IngestConfiguration Build(string? file, IDictionary environment, IReadOnlyDictionary<string, string?> flags)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(flags);
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            string path = Path.GetFullPath(file);
            if (!File.Exists(path))
            {
                throw new IngestConfigurationException(Directory.Exists(path)
                    ? $"--config: {path} is a folder; name the JSON file of settings."
                    : $"--config: the file {path} does not exist.");
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
            file = path;
        }

        // Read from the given variables rather than the process's, so precedence can be tested without touching them.
        var variables = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(IngestSetting.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > IngestSetting.EnvironmentPrefix.Length)
            {
                variables[name[IngestSetting.EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = entry.Value as string;
            }
        }

        var given = new Dictionary<string, string?>(flags, StringComparer.OrdinalIgnoreCase);
        builder.AddInMemoryCollection(variables).AddInMemoryCollection(given);
        try
        {
            return new IngestConfiguration(builder.Build(), file, variables, given);
        }
        catch (InvalidDataException e)
        {
            throw new IngestConfigurationException($"--config: {file} is not valid JSON: {e.InnerException?.Message ?? e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new IngestConfigurationException($"--config: {file} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>The value of <paramref name="setting"/>, or null when no layer sets it (or sets it empty).</summary>
    public string? this[IngestSetting setting] => Root[setting.Key] is { Length: > 0 } value ? value : null;

    /// <summary>True when the file or a <c>__</c> variable gives <paramref name="setting"/> as an object or array, not one value.</summary>
    public bool IsNested(IngestSetting setting) => Root.GetSection(setting.Key).GetChildren().Any();

    /// <summary>Which layer gave the value: "flag --ack-deadline", "environment STREAMINGFEATURES_ACKDEADLINE" or "file PATH".</summary>
    public string Origin(IngestSetting setting) =>
        _flags.ContainsKey(setting.Key) ? "flag " + setting.Flag
        : _environment.ContainsKey(setting.Key) ? "environment " + setting.EnvironmentVariable
        : _file is not null ? "file " + _file
        : "default";

    /// <summary>Top-level keys of the file that are no setting (typos, settings of another version): refused.</summary>
    public IEnumerable<string> UnknownKeys() =>
        _fileKeys.Where(key => !IsKnown(key)).Order(StringComparer.OrdinalIgnoreCase).Select(key => $"'{key}' in file {_file}");

    /// <summary>
    /// <c>STREAMINGFEATURES_*</c> variables that name no setting: ignored with a warning, not refused, because the
    /// environment is not all the user's. Kubernetes injects <c>STREAMINGFEATURES_INGEST_METRICS_SERVICE_HOST</c> and
    /// friends into every pod of a namespace with a Service named <c>streamingfeatures-ingest-metrics</c>.
    /// </summary>
    public IReadOnlyList<string> IgnoredVariables() =>
        [.. _environment.Keys
            .Where(key => !IsKnown(key.Split(ConfigurationPath.KeyDelimiter)[0]))
            .Select(key => IngestSetting.EnvironmentPrefix + key.Replace(ConfigurationPath.KeyDelimiter, "__", StringComparison.Ordinal).ToUpperInvariant())
            .Order(StringComparer.Ordinal)];

    private static bool IsKnown(string key) =>
        key.Equals(LoggingSection, StringComparison.OrdinalIgnoreCase) || IngestSetting.All.Any(s => s.Key.Equals(key, StringComparison.OrdinalIgnoreCase));
}
