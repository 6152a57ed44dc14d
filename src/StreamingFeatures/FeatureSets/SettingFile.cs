namespace StreamingFeatures.FeatureSets;

/// <summary>
/// The steps every settings file (feature sets, load profiles) goes through: format from the extension, read, parse,
/// and the binder's and validator's problems merged in file order. Failures are built by the caller's
/// <c>fail(lines, cause)</c>, so each file type keeps its own exception.
/// </summary>
internal static class SettingFile
{
    /// <summary>Reads <paramref name="path"/>; its format follows the extension (.json, .yaml, .yml).</summary>
    public static string Read(string path, Func<IReadOnlyList<string>, Exception?, Exception> fail, out FeatureSetFormat format)
    {
        string extension = Path.GetExtension(path);
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
            throw fail([$"the extension is {FeatureSetError.Show(extension)}; allowed: .json, .yaml or .yml"], null);
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw fail([$"the file {Path.GetFullPath(path)} does not exist"], e);
        }
    }

    /// <summary>The settings tree of <paramref name="text"/>.</summary>
    public static SettingNode Parse(string text, FeatureSetFormat format, Func<IReadOnlyList<string>, Exception?, Exception> fail)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return format switch
            {
                FeatureSetFormat.Json => JsonSettingReader.Read(text.TrimStart('\uFEFF')),
                FeatureSetFormat.Yaml => YamlSettingReader.Read(text),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Allowed: Json or Yaml."),
            };
        }
        catch (SettingSyntaxException e)
        {
            throw fail([At(e.Message, e.Position)], e.InnerException ?? e);
        }
    }

    /// <summary>
    /// Every problem as a line, in file order as a compiler lists them (settings missing altogether last); empty when
    /// there is none. A validation error inside a setting the binder could not read is left out: it would only
    /// complain about the default that setting kept.
    /// </summary>
    public static string[] Problems(IReadOnlyList<FeatureSetError> bindErrors, IEnumerable<FeatureSetError> validationErrors, Func<string, TextPosition?> positionOf)
    {
        var errors = new List<(string Message, TextPosition? Position)>();
        foreach (FeatureSetError error in bindErrors)
        {
            errors.Add((error.Message, error.Position));
        }

        foreach (FeatureSetError error in validationErrors)
        {
            if (!bindErrors.Any(read => FeatureSetPaths.IsWithin(error.Path, read.Path)))
            {
                errors.Add((error.Message, positionOf(error.Path)));
            }
        }

        return
        [
            .. errors
                .OrderBy(e => e.Position is null)
                .ThenBy(e => e.Position?.Line)
                .ThenBy(e => e.Position?.Column)
                .Select(e => At(e.Message, e.Position)),
        ];
    }

    private static string At(string message, TextPosition? position) =>
        position is { } at ? $"{message} (at {at})" : message;
}
