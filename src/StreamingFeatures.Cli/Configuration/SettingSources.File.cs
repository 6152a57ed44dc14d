using System.CommandLine;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Cli.Configuration;

/// <summary>The settings file: one object whose keys are the command's flags (any spelling of them), values plain or lists.</summary>
internal sealed partial class SettingSources
{
    private Dictionary<string, IReadOnlyList<string>> ReadFile(string path, Dictionary<string, Option> settings, IReadOnlySet<string> otherCommands)
    {
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (ReadMapping(path, "{\"checkpoint-interval\": \"90s\"}", out string problem) is not { } mapping)
        {
            _problems.Add(problem);
            return values;
        }

        foreach (SettingEntry entry in mapping.Entries)
        {
            string key = Normalize(entry.Key);
            if (!settings.TryGetValue(key, out Option? option))
            {
                if (otherCommands.Contains(key))
                {
                    continue;
                }

                _problems.Add($"Unknown setting '{entry.Key}' in file {path} ({entry.KeyPosition}); known: {string.Join(", ", settings.Values.Select(o => o.Name[2..]))}.");
                continue;
            }

            switch (entry.Value)
            {
                case SettingScalar { Kind: ScalarKind.Null }:
                    break; // Unset, as if the key were not there.
                case SettingScalar scalar:
                    values[key] = [scalar.Text];
                    break;
                case SettingSequence { Items: var items } when items.All(i => i is SettingScalar) && option.Arity.MaximumNumberOfValues > 1:
                    values[key] = [.. items.Cast<SettingScalar>().Select(i => i.Text)];
                    break;
                default:
                    _problems.Add($"{option.Name} is {entry.Value.Describe()} in file {path} ({entry.Value.Position}); allowed one value, such as \"{entry.Key}\": \"...\".");
                    break;
            }
        }

        return values;
    }

    /// <summary>
    /// The settings file's top-level object; null with the one-line problem when it is a folder, unreadable, neither
    /// JSON nor YAML, or not an object (<paramref name="example"/> shows one).
    /// </summary>
    internal static SettingMapping? ReadMapping(string path, string example, out string problem)
    {
        problem = string.Empty;
        if (Directory.Exists(path))
        {
            problem = $"{ConfigFlag}: {path} is a folder; name the JSON or YAML file of settings.";
            return null;
        }

        SettingNode root;
        try
        {
            string text = SettingFile.Read(path, Failure, out FeatureSetFormat format);
            root = SettingFile.Parse(text, format, Failure);
        }
        catch (SettingsFileException e)
        {
            problem = $"{ConfigFlag}: {path}: {e.Message}";
            return null;
        }

        if (root is not SettingMapping mapping)
        {
            problem = $"{ConfigFlag}: {path} holds {root.Describe()} at {root.Position}; allowed: an object of settings, e.g. {example}.";
            return null;
        }

        return mapping;
    }

    private static SettingsFileException Failure(IReadOnlyList<string> lines, Exception? cause) => new(string.Join("; ", lines), cause);

    private sealed class SettingsFileException(string message, Exception? inner) : Exception(message, inner);
}
