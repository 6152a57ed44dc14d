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
        string text = SettingFile.Read(path, (lines, cause) => new LoadProfileException(subject, lines, cause), out FeatureSetFormat format);
        return Parse(text, format, subject);
    }

    /// <summary>Parses and validates a profile written in <paramref name="format"/>.</summary>
    /// <exception cref="LoadProfileException">The text cannot be parsed or the profile is invalid.</exception>
    public static LoadProfile Parse(string text, FeatureSetFormat format) =>
        Parse(text, format, format == FeatureSetFormat.Json ? "Load profile (JSON)" : "Load profile (YAML)");

    private static LoadProfile Parse(string text, FeatureSetFormat format, string subject)
    {
        SettingNode root = SettingFile.Parse(text, format, (lines, cause) => new LoadProfileException(subject, lines, cause));
        var binder = new LoadProfileBinder();
        LoadProfile result = binder.Bind(root);
        string[] problems = SettingFile.Problems(binder.Errors, LoadProfileValidator.Check(result), binder.PositionOf);
        return problems.Length == 0 ? result : throw new LoadProfileException(subject, problems);
    }
}
