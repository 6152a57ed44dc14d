using System.Globalization;
using System.Numerics;

namespace StreamingFeatures.FeatureSets;

/// <summary>
/// The one settings binder: setting files (feature sets, load profiles) and the ingest service's settings (file,
/// environment, flags) are read through it. It reads single values, each checking the node's kind (JSON <c>"64"</c> is
/// not a number but YAML <c>64</c> is) and, for a setting with a <see cref="Limit{T}"/>, its range; and mappings with
/// unknown and repeated keys refused; every problem recorded with its path and position.
/// </summary>
internal abstract partial class SettingBinder
{
    private readonly List<FeatureSetError> _errors = [];
    private readonly Dictionary<string, TextPosition> _positions = new(StringComparer.Ordinal);

    public IReadOnlyList<FeatureSetError> Errors => _errors;

    /// <summary>How an error about the whole file names it ("the feature set").</summary>
    protected abstract string WholeName { get; }

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

    /// <summary>
    /// The known keys of a mapping with their paths, after reporting unknown and repeated keys; without
    /// <paramref name="keys"/> every key is a column family name.
    /// </summary>
    protected List<(string Key, string Path, SettingNode Value)> Entries(SettingNode node, string path, string[]? keys)
    {
        var entries = new List<(string, string, SettingNode)>();
        if (node is not SettingMapping mapping)
        {
            FailUnlessNull(path, node, keys is null ? "an object" : "an object with " + string.Join(", ", keys));
            return entries;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (SettingEntry entry in mapping.Entries)
        {
            string child = keys is null ? FeatureSetPaths.Family(entry.Key) : FeatureSetPaths.Child(path, entry.Key);
            if (!seen.Add(entry.Key))
            {
                Fail(child, "set more than once", entry.KeyPosition, "one value per setting");
            }
            else if (keys is not null && !keys.Contains(entry.Key, StringComparer.Ordinal))
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

    /// <summary>Notes where a value that is not a mapping entry (a list item) appears.</summary>
    protected void NotePosition(string path, TextPosition position) => _positions[path] = position;

    protected string? ReadString(string path, SettingNode node)
    {
        if (node is SettingScalar { Kind: ScalarKind.String or ScalarKind.Plain } scalar)
        {
            return scalar.Text;
        }

        FailUnlessNull(path, node, "text");
        return null;
    }

    protected int? ReadInt(string path, SettingNode node, string range) => ReadWholeNumber<int>(path, node, range);

    protected long? ReadLong(string path, SettingNode node, string range) => ReadWholeNumber<long>(path, node, range);

    protected double? ReadDouble(string path, SettingNode node, string range)
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

    private T? ReadWholeNumber<T>(string path, SettingNode node, string range)
        where T : struct, IBinaryInteger<T>
    {
        if (node is SettingScalar { Kind: ScalarKind.Number or ScalarKind.Plain } scalar
            && T.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out T value))
        {
            return value;
        }

        FailUnlessNull(path, node, "a whole number, " + range);
        return null;
    }

    protected bool? ReadBool(string path, SettingNode node)
    {
        if (node is SettingScalar { Kind: ScalarKind.Boolean or ScalarKind.Plain } scalar && bool.TryParse(scalar.Text, out bool value))
        {
            return value;
        }

        FailUnlessNull(path, node, "true or false");
        return null;
    }

    protected TimeSpan? ReadDuration(string path, SettingNode node)
    {
        if (node is SettingScalar { Kind: ScalarKind.String or ScalarKind.Plain } scalar && DurationText.TryParse(scalar.Text, out TimeSpan value))
        {
            return value;
        }

        FailUnlessNull(path, node, DurationText.Allowed);
        return null;
    }

    protected TEnum? ReadEnum<TEnum>(string path, SettingNode node)
        where TEnum : struct, Enum
    {
        // Names only: Enum.TryParse would also take "3" and "int64, bool".
        if (node is SettingScalar { Kind: ScalarKind.String or ScalarKind.Plain } scalar
            && Array.Find(Enum.GetNames<TEnum>(), name => name.Equals(scalar.Text, StringComparison.OrdinalIgnoreCase)) is { } match)
        {
            return Enum.Parse<TEnum>(match);
        }

        FailUnlessNull(path, node, FeatureSetValidator.EnumNames<TEnum>());
        return null;
    }

    protected static bool IsNull(SettingNode node) => node is SettingScalar { Kind: ScalarKind.Null };

    protected void FailUnlessNull(string path, SettingNode node, string allowed)
    {
        if (!IsNull(node))
        {
            Fail(path, node.Describe(), node.Position, allowed);
        }
    }

    protected void Fail(string path, string value, TextPosition position, string allowed) =>
        _errors.Add(new FeatureSetError(path, Problem(path, value, allowed)) { Position = position });

    /// <summary>How a problem with a value reads; a setting file names the path and shows the value as written.</summary>
    protected virtual string Problem(string path, string value, string allowed) =>
        $"{(path.Length == 0 ? WholeName : path)} is {value}; allowed: {allowed}";

    /// <summary>Records a problem that is not about one value's form (a setting missing, settings that contradict).</summary>
    protected void Report(string path, string message) => _errors.Add(new FeatureSetError(path, message));
}
