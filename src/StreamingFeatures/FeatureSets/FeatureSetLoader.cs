namespace StreamingFeatures.FeatureSets;

/// <summary>
/// Loads feature sets from JSON or YAML. Unknown keys are errors, and unreadable values and broken limits are reported
/// together, each with its setting path and file position, so a loaded feature set is always valid.
/// </summary>
public static class FeatureSetLoader
{
    /// <summary>Loads the feature set in <paramref name="path"/>; the format follows the extension (.json, .yaml, .yml).</summary>
    /// <exception cref="FeatureSetException">The file is missing, has another extension, cannot be parsed or is invalid.</exception>
    public static FeatureSetOptions Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string subject = $"Feature set file '{path}'";
        string text = SettingFile.Read(path, (lines, cause) => new FeatureSetException(subject, lines, cause), out FeatureSetFormat format);
        return Parse(text, format, subject);
    }

    /// <summary>Parses and validates a feature set written in <paramref name="format"/>.</summary>
    /// <exception cref="FeatureSetException">The text cannot be parsed or the feature set is invalid.</exception>
    public static FeatureSetOptions Parse(string text, FeatureSetFormat format) =>
        Parse(text, format, format == FeatureSetFormat.Json ? "Feature set (JSON)" : "Feature set (YAML)");

    private static FeatureSetOptions Parse(string text, FeatureSetFormat format, string subject)
    {
        SettingNode root = SettingFile.Parse(text, format, (lines, cause) => new FeatureSetException(subject, lines, cause));
        var binder = new FeatureSetBinder();
        FeatureSetOptions result = binder.Bind(root);
        string[] problems = SettingFile.Problems(binder.Errors, FeatureSetValidator.Check(result), binder.PositionOf);
        return problems.Length == 0 ? result : throw new FeatureSetException(subject, problems);
    }
}
