using System.Globalization;
using System.Text;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>Feature-set files as a user writes them, for the synthetic table's columns.</summary>
internal static class FeatureSetFile
{
    /// <summary>
    /// Writes YAML mapping <c>entity_id</c>, <c>event_time</c> and int64 features <c>f0</c>…<c>f{features-1}</c> one
    /// to one into family <c>f</c> with the default row key (what <see cref="SyntheticSource.FeatureSet"/> builds),
    /// plus <paramref name="extraColumns"/> as int64 features read from those columns.
    /// </summary>
    /// <returns><paramref name="path"/>.</returns>
    public static string WriteSynthetic(string path, string table, int features, params string[] extraColumns)
    {
        var yaml = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"table: {table}")
            .AppendLine(CultureInfo.InvariantCulture, $"entityKey: {SyntheticSource.EntityColumn}")
            .AppendLine(CultureInfo.InvariantCulture, $"eventTime: {SyntheticSource.EventTimeColumn}")
            .AppendLine("families:")
            .AppendLine(CultureInfo.InvariantCulture, $"  {SyntheticSource.Family}:")
            .AppendLine("    maxVersions: 1")
            .AppendLine("features:");
        for (int i = 0; i < features; i++)
        {
            Feature(yaml, SyntheticSource.FeatureName(i), column: null);
        }

        foreach (string column in extraColumns)
        {
            Feature(yaml, "from_" + column, column);
        }

        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    private static void Feature(StringBuilder yaml, string name, string? column)
    {
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  - name: {name}");
        if (column is not null)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    column: {column}");
        }

        yaml.AppendLine(CultureInfo.InvariantCulture, $"    family: {SyntheticSource.Family}")
            .AppendLine("    type: int64");
    }
}
