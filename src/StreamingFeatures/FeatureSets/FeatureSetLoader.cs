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
            throw new FeatureSetException(subject, [$"the extension is {FeatureSetError.Show(extension)}; allowed: .json, .yaml or .yml"]);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FeatureSetException(subject, [$"the file {Path.GetFullPath(path)} does not exist"], e);
        }

        return Parse(text, format, subject);
    }

    /// <summary>Parses and validates a feature set written in <paramref name="format"/>.</summary>
    /// <exception cref="FeatureSetException">The text cannot be parsed or the feature set is invalid.</exception>
    public static FeatureSetOptions Parse(string text, FeatureSetFormat format) =>
        Parse(text, format, format == FeatureSetFormat.Json ? "Feature set (JSON)" : "Feature set (YAML)");

    private static FeatureSetOptions Parse(string text, FeatureSetFormat format, string subject)
    {
        ArgumentNullException.ThrowIfNull(text);
        SettingNode root;
        try
        {
            root = format switch
            {
                FeatureSetFormat.Json => JsonSettingReader.Read(text.TrimStart('\uFEFF')),
                FeatureSetFormat.Yaml => YamlSettingReader.Read(text),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Allowed: Json or Yaml."),
            };
        }
        catch (SettingSyntaxException e)
        {
            throw new FeatureSetException(subject, [At(e.Message, e.Position)], e.InnerException ?? e);
        }

        var binder = new FeatureSetBinder();
        FeatureSetOptions options = binder.Bind(root);
        var errors = new List<(string Message, TextPosition? Position)>();
        foreach (FeatureSetError error in binder.Errors)
        {
            errors.Add((error.Message, error.Position));
        }

        foreach (FeatureSetError error in FeatureSetValidator.Check(options))
        {
            // What the binder could not read kept its default; complaining about that default too would be noise.
            if (!binder.Errors.Any(read => FeatureSetPaths.IsWithin(error.Path, read.Path)))
            {
                errors.Add((error.Message, binder.PositionOf(error.Path)));
            }
        }

        if (errors.Count == 0)
        {
            return options;
        }

        // In file order, as a compiler would list them; settings that are missing altogether come last.
        string[] lines =
        [
            .. errors
                .OrderBy(e => e.Position is null)
                .ThenBy(e => e.Position?.Line)
                .ThenBy(e => e.Position?.Column)
                .Select(e => At(e.Message, e.Position)),
        ];
        throw new FeatureSetException(subject, lines);
    }

    private static string At(string message, TextPosition? position) =>
        position is { } at ? $"{message} (at {at})" : message;
}
