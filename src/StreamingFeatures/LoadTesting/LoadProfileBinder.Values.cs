using System.Globalization;
using System.Text.Json;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.LoadTesting;

/// <summary>Reading scalars and mappings, recording each problem with its path and position.</summary>
internal sealed partial class LoadProfileBinder
{
    private readonly List<FeatureSetError> _errors = [];
    private readonly Dictionary<string, TextPosition> _positions = new(StringComparer.Ordinal);

    public IReadOnlyList<FeatureSetError> Errors => _errors;

    /// <summary>Where <paramref name="path"/>, or failing that its nearest written ancestor, appears in the file.</summary>
    public TextPosition? PositionOf(string path)
    {
        for (string? current = path; current is not null; current = FeatureSetPaths.Parent(current))
        {
            if (_positions.TryGetValue(current, out TextPosition position))
            {
                return position;
            }
        }

        return null;
    }

    /// <summary>The known keys of a mapping with their paths, after reporting unknown and repeated keys.</summary>
    private List<(string Key, string Path, SettingNode Value)> Entries(SettingNode node, string path, string[] keys)
    {
        var entries = new List<(string, string, SettingNode)>();
        if (node is not SettingMapping mapping)
        {
            FailUnlessNull(path, node, "an object with " + string.Join(", ", keys));
            return entries;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (SettingEntry entry in mapping.Entries)
        {
            string child = FeatureSetPaths.Child(path, entry.Key);
            if (!seen.Add(entry.Key))
            {
                Fail(child, "set more than once", entry.KeyPosition, "one value per setting");
            }
            else if (!keys.Contains(entry.Key, StringComparer.Ordinal))
            {
                Fail(child, "not a setting", entry.KeyPosition, string.Join(", ", keys));
            }
            else
            {
                _positions[child] = entry.KeyPosition;
                entries.Add((entry.Key, child, entry.Value));
            }
        }

        return entries;
    }

    private string? ReadString(string path, SettingNode node)
    {
        if (node is SettingScalar { Kind: ScalarKind.String or ScalarKind.Plain } scalar)
        {
            return scalar.Text;
        }

        FailUnlessNull(path, node, "text");
        return null;
    }

    private int? ReadInt(string path, SettingNode node, string range)
    {
        if (node is SettingScalar { Kind: ScalarKind.Number or ScalarKind.Plain } scalar
            && int.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }

        FailUnlessNull(path, node, "a whole number, " + range);
        return null;
    }

    private long? ReadLong(string path, SettingNode node, string range)
    {
        if (node is SettingScalar { Kind: ScalarKind.Number or ScalarKind.Plain } scalar
            && long.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            return value;
        }

        FailUnlessNull(path, node, "a whole number, " + range);
        return null;
    }

    private double? ReadDouble(string path, SettingNode node, string range)
    {
        if (node is SettingScalar { Kind: ScalarKind.Number or ScalarKind.Plain } scalar
            && double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && double.IsFinite(value))
        {
            return value;
        }

        FailUnlessNull(path, node, "a number, " + range);
        return null;
    }

    private bool? ReadBool(string path, SettingNode node)
    {
        if (node is SettingScalar { Kind: ScalarKind.Boolean or ScalarKind.Plain } scalar && bool.TryParse(scalar.Text, out bool value))
        {
            return value;
        }

        FailUnlessNull(path, node, "true or false");
        return null;
    }

    private TimeSpan? ReadDuration(string path, SettingNode node)
    {
        if (node is SettingScalar { Kind: ScalarKind.String or ScalarKind.Plain } scalar && DurationText.TryParse(scalar.Text, out TimeSpan value))
        {
            return value;
        }

        FailUnlessNull(path, node, DurationText.Allowed);
        return null;
    }

    private TEnum? ReadEnum<TEnum>(string path, SettingNode node)
        where TEnum : struct, Enum
    {
        // Names only: Enum.TryParse would also take "3".
        if (node is SettingScalar { Kind: ScalarKind.String or ScalarKind.Plain } scalar
            && Array.Find(Enum.GetNames<TEnum>(), name => name.Equals(scalar.Text, StringComparison.OrdinalIgnoreCase)) is { } match)
        {
            return Enum.Parse<TEnum>(match);
        }

        FailUnlessNull(path, node, string.Join(", ", Enum.GetNames<TEnum>().Select(JsonNamingPolicy.CamelCase.ConvertName)));
        return null;
    }

    private void FailUnlessNull(string path, SettingNode node, string allowed)
    {
        if (node is not SettingScalar { Kind: ScalarKind.Null })
        {
            Fail(path, node.Describe(), node.Position, allowed);
        }
    }

    private void Fail(string path, string value, TextPosition position, string allowed)
    {
        string shown = path.Length == 0 ? "the profile" : path;
        _errors.Add(new FeatureSetError(path, $"{shown} is {value}; allowed: {allowed}") { Position = position });
    }
}
