using System.Collections;
using Microsoft.Extensions.Configuration;
using StreamingFeatures.Cli.Configuration;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>
/// The ingest service's settings from three layers, each overriding the one before: a JSON or YAML file
/// (<c>--config PATH</c>), environment variables prefixed <c>STREAMINGFEATURES_</c> (<c>__</c> separates sections),
/// and flags. Remembers which layer gave each value, so a bad value's message says where to fix it.
/// </summary>
internal sealed class IngestConfiguration
{
    /// <summary>A section of the file passed to the host as it is (log levels), not an ingest setting.</summary>
    public const string LoggingSection = "Logging";

    private readonly string? _file;

    // The file came from STREAMINGFEATURES_CONFIG, which serves every command: another command's keys are not refused.
    private readonly bool _fileShared;
    private readonly HashSet<string> _fileKeys;
    private readonly Dictionary<string, string?> _environment;
    private readonly Dictionary<string, string?> _flags;

    private IngestConfiguration(IConfigurationRoot root, string? file, bool fileShared, HashSet<string> fileKeys, Dictionary<string, string?> environment, Dictionary<string, string?> flags)
    {
        _fileShared = fileShared;
        Root = root;
        _file = file;
        _fileKeys = fileKeys;
        _environment = environment;
        _flags = flags;
    }

    /// <summary>All layers merged; the host reads its <c>Logging</c> section from here.</summary>
    public IConfigurationRoot Root { get; }

    /// <exception cref="IngestConfigurationException">The file is missing or is not valid JSON or YAML.</exception>
    public static IngestConfiguration Build(string? file, IDictionary environment, IReadOnlyDictionary<string, string?> flags)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(flags);
        var builder = new ConfigurationBuilder();
        bool fileShared = false;
        if (file is null && environment[SettingSources.ConfigVariable] is string { Length: > 0 } shared)
        {
            file = shared;
            fileShared = true;
        }

        var fileKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (file is not null)
        {
            file = Path.GetFullPath(file);
            builder.AddInMemoryCollection(ReadFile(file, fileKeys));
        }

        // Read from the given variables rather than the process's, so precedence can be tested without touching them.
        var variables = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(IngestSetting.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > IngestSetting.EnvironmentPrefix.Length)
            {
                string[] path = name[IngestSetting.EnvironmentPrefix.Length..].Split("__");
                path[0] = Canonical(path[0]);
                variables[string.Join(ConfigurationPath.KeyDelimiter, path)] = entry.Value as string;
            }
        }

        var given = new Dictionary<string, string?>(flags, StringComparer.OrdinalIgnoreCase);
        builder.AddInMemoryCollection(variables).AddInMemoryCollection(given);
        return new IngestConfiguration(builder.Build(), file, fileShared, fileKeys, variables, given);
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
        _fileKeys.Where(key => !IsKnown(key) && !(_fileShared && SettingSources.KnownEverywhere.Contains(SettingSources.Normalize(key)))).Order(StringComparer.OrdinalIgnoreCase).Select(key => $"'{key}' in file {_file}");

    /// <summary>
    /// <c>STREAMINGFEATURES_*</c> variables that name no setting: ignored with a warning, not refused, because the
    /// environment is not all the user's. Kubernetes injects <c>STREAMINGFEATURES_INGEST_METRICS_SERVICE_HOST</c> and
    /// friends into every pod of a namespace with a Service named <c>streamingfeatures-ingest-metrics</c>.
    /// </summary>
    public IReadOnlyList<string> IgnoredVariables() =>
        [.. _environment.Keys
            .Where(key => !IsKnown(key.Split(ConfigurationPath.KeyDelimiter)[0]) && !SettingSources.KnownEverywhere.Contains(SettingSources.Normalize(key)))
            .Select(key => IngestSetting.EnvironmentPrefix + key.Replace(ConfigurationPath.KeyDelimiter, "__", StringComparison.Ordinal).ToUpperInvariant())
            .Order(StringComparer.Ordinal)];

    /// <summary>
    /// The file as configuration keys (<c>Logging:LogLevel:Default</c>), JSON or YAML by its extension; a top-level key
    /// may be spelled as the setting (<c>AckDeadline</c>), its flag (<c>ack-deadline</c>) or its variable.
    /// </summary>
    private static Dictionary<string, string?> ReadFile(string path, HashSet<string> topLevelKeys)
    {
        SettingMapping mapping = SettingSources.ReadMapping(path, "{\"AckDeadline\": \"60s\"}", out string problem)
            ?? throw new IngestConfigurationException(problem);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (SettingEntry entry in mapping.Entries)
        {
            string key = Canonical(entry.Key);
            topLevelKeys.Add(key);
            Flatten(key, entry.Value, values);
        }

        return values;
    }

    private static void Flatten(string key, SettingNode node, Dictionary<string, string?> values)
    {
        switch (node)
        {
            case SettingScalar { Kind: ScalarKind.Null }:
                values[key] = null;
                break;
            case SettingScalar scalar:
                values[key] = scalar.Text;
                break;
            case SettingSequence sequence:
                for (int i = 0; i < sequence.Items.Count; i++)
                {
                    Flatten(ConfigurationPath.Combine(key, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), sequence.Items[i], values);
                }

                break;
            case SettingMapping mapping:
                foreach (SettingEntry entry in mapping.Entries)
                {
                    Flatten(ConfigurationPath.Combine(key, entry.Key), entry.Value, values);
                }

                break;
        }
    }

    /// <summary>The setting's key for any spelling of it (<c>ack-deadline</c>, <c>ACK_DEADLINE</c>); other keys as they are.</summary>
    private static string Canonical(string key)
    {
        string plain = SettingSources.Normalize(key);
        return IngestSetting.All.FirstOrDefault(s => SettingSources.Normalize(s.Key) == plain)?.Key
            ?? (plain == SettingSources.Normalize(LoggingSection) ? LoggingSection : key);
    }

    private static bool IsKnown(string key) =>
        key.Equals(LoggingSection, StringComparison.OrdinalIgnoreCase) || key.Equals("Config", StringComparison.OrdinalIgnoreCase) || IngestSetting.All.Any(s => s.Key.Equals(key, StringComparison.OrdinalIgnoreCase));
}
