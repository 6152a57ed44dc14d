using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.LoadTesting;

/// <summary>
/// Loads load profiles from JSON or YAML with the feature sets' readers: unknown keys, unreadable values and broken
/// limits are reported together, each with its setting path and file position, so a loaded profile is always valid.
/// </summary>
public static class LoadProfileLoader
{
    /// <summary>Loads the profile in <paramref name="path"/>; the format follows the extension (.json, .yaml, .yml).</summary>
    /// <exception cref="LoadProfileException">The file is missing, has another extension, cannot be parsed or is invalid.</exception>
    public static LoadProfile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string subject = $"Load profile '{path}'";
        string extension = Path.GetExtension(path);
        FeatureSetFormat format;
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            format = FeatureSetFormat.Json;
        }
        else if (extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || extension.Equals(".yml", StringComparison.OrdinalIgnoreCase))
        {
            format = FeatureSetFormat.Yaml;
        }
        else
        {
            throw new LoadProfileException(subject, [$"the extension is {FeatureSetError.Show(extension)}; allowed: .json, .yaml or .yml"]);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new LoadProfileException(subject, [$"the file {Path.GetFullPath(path)} does not exist"], e);
        }

        return Parse(text, format, subject);
    }

    /// <summary>Parses and validates a profile written in <paramref name="format"/>.</summary>
    /// <exception cref="LoadProfileException">The text cannot be parsed or the profile is invalid.</exception>
    public static LoadProfile Parse(string text, FeatureSetFormat format) =>
        Parse(text, format, format == FeatureSetFormat.Json ? "Load profile (JSON)" : "Load profile (YAML)");

    private static LoadProfile Parse(string text, FeatureSetFormat format, string subject)
    {
        ArgumentNullException.ThrowIfNull(text);
        SettingNode root;
        try
        {
            root = format == FeatureSetFormat.Json ? JsonSettingReader.Read(text.TrimStart('\uFEFF')) : YamlSettingReader.Read(text);
        }
        catch (SettingSyntaxException e)
        {
            throw new LoadProfileException(subject, [$"{e.Message} (at {e.Position})"], e.InnerException ?? e);
        }

        var binder = new LoadProfileBinder();
        LoadProfile profile = binder.Bind(root);
        var errors = new List<(string Message, TextPosition? Position)>();
        foreach (FeatureSetError error in binder.Errors)
        {
            errors.Add((error.Message, error.Position));
        }

        foreach (FeatureSetError error in LoadProfileValidator.Check(profile))
        {
            // A setting the binder could not read kept its default: complaining about the default too would be noise.
            if (!binder.Errors.Any(read => FeatureSetPaths.IsWithin(error.Path, read.Path)))
            {
                errors.Add((error.Message, binder.PositionOf(error.Path)));
            }
        }

        if (errors.Count == 0)
        {
            return profile;
        }

        string[] lines =
        [
            .. errors
                .OrderBy(e => e.Position is null)
                .ThenBy(e => e.Position?.Line)
                .ThenBy(e => e.Position?.Column)
                .Select(e => e.Position is { } at ? $"{e.Message} (at {at})" : e.Message),
        ];
        throw new LoadProfileException(subject, lines);
    }
}
