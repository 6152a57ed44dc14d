namespace StreamingFeatures.FeatureSets;

/// <summary>
/// Turns a parsed file into <see cref="FeatureSetOptions"/>, collecting every unreadable value and unknown key (a typo
/// must not be silently ignored) with its path and position; a setting it cannot read keeps its default.
/// </summary>
internal sealed class FeatureSetBinder : SettingBinder
{
    private static readonly string[] RootKeys = ["table", "entityKey", "eventTime", "features", "families", "rowKey", "nulls", "maxFutureSkew"];
    private static readonly string[] FeatureKeys = ["name", "column", "family", "qualifier", "type", "nullable"];
    private static readonly string[] FamilyKeys = ["maxVersions", "maxAge"];
    private static readonly string[] RowKeyKeys = ["bucketPrefix", "buckets", "delimiter", "reversedTimeSuffix"];

    protected override string WholeName => "the feature set";

    public FeatureSetOptions Bind(SettingNode root)
    {
        var options = new FeatureSetOptions();
        foreach ((string key, string path, SettingNode value) in Entries(root, string.Empty, RootKeys))
        {
            switch (key)
            {
                case "table": options.Table = ReadString(path, value) ?? options.Table; break;
                case "entityKey": options.EntityKey = ReadEntityKey(path, value); break;
                case "eventTime": options.EventTime = ReadString(path, value) ?? options.EventTime; break;
                case "features": options.Features = ReadFeatures(path, value); break;
                case "families": options.Families = ReadFamilies(value); break;
                case "rowKey": options.RowKey = ReadRowKey(path, value); break;
                case "maxFutureSkew": options.MaxFutureSkew = ReadDuration(path, value) ?? options.MaxFutureSkew; break;
                default: options.Nulls = ReadEnum<NullHandling>(path, value) ?? options.Nulls; break;
            }
        }

        return options;
    }

    private List<FeatureOptions> ReadFeatures(string path, SettingNode node)
    {
        var features = new List<FeatureOptions>();
        if (node is SettingSequence sequence)
        {
            for (int i = 0; i < sequence.Items.Count; i++)
            {
                features.Add(ReadFeature(FeatureSetPaths.Item(path, i), sequence.Items[i]));
            }
        }
        else
        {
            FailUnlessNull(path, node, "a list of features");
        }

        return features;
    }

    private FeatureOptions ReadFeature(string path, SettingNode node)
    {
        // A placeholder keeps later indexes aligned with the file; its own errors are already reported.
        var feature = new FeatureOptions();
        NotePosition(path, node.Position);
        if (node is not SettingMapping)
        {
            Fail(path, node.Describe(), node.Position, "an object with " + string.Join(", ", FeatureKeys));
            return feature;
        }

        bool typed = false;
        foreach ((string key, string child, SettingNode value) in Entries(node, path, FeatureKeys))
        {
            switch (key)
            {
                case "name": feature.Name = ReadString(child, value) ?? feature.Name; break;
                case "column": feature.Column = ReadString(child, value); break;
                case "family": feature.Family = ReadString(child, value) ?? feature.Family; break;
                case "qualifier": feature.Qualifier = ReadString(child, value); break;
                case "nullable": feature.Nullable = ReadBool(child, value) ?? feature.Nullable; break;
                default:
                    FeatureType? type = ReadEnum<FeatureType>(child, value);
                    feature.Type = type ?? feature.Type;
                    typed = type is not null || !IsNull(value);
                    break;
            }
        }

        // FeatureType's default is Int64, so a forgotten type would silently become one.
        if (!typed)
        {
            Fail(path + ".type", "not set", node.Position, FeatureSetValidator.EnumNames<FeatureType>());
        }

        return feature;
    }

    private Dictionary<string, ColumnFamilyOptions> ReadFamilies(SettingNode node)
    {
        var families = new Dictionary<string, ColumnFamilyOptions>(StringComparer.Ordinal);
        foreach ((string name, string path, SettingNode value) in Entries(node, "families", keys: null))
        {
            // "meta:" with nothing after it declares a family with no GC limits.
            var family = new ColumnFamilyOptions();
            foreach ((string key, string child, SettingNode setting) in Entries(value, path, FamilyKeys))
            {
                if (key == "maxVersions")
                {
                    family.MaxVersions = ReadInt(child, setting, FeatureSetValidator.MaxVersionsRange);
                }
                else
                {
                    family.MaxAge = ReadDuration(child, setting);
                }
            }

            families[name] = family;
        }

        return families;
    }

    private RowKeyOptions ReadRowKey(string path, SettingNode node)
    {
        var rowKey = new RowKeyOptions();
        foreach ((string key, string child, SettingNode value) in Entries(node, path, RowKeyKeys))
        {
            switch (key)
            {
                case "bucketPrefix": rowKey.BucketPrefix = ReadBool(child, value) ?? rowKey.BucketPrefix; break;
                case "buckets": rowKey.Buckets = ReadInt(child, value, FeatureSetValidator.BucketsRange) ?? rowKey.Buckets; break;
                case "delimiter": rowKey.Delimiter = ReadString(child, value) ?? rowKey.Delimiter; break;
                default: rowKey.ReversedTimeSuffix = ReadBool(child, value) ?? rowKey.ReversedTimeSuffix; break;
            }
        }

        return rowKey;
    }

    private List<string> ReadEntityKey(string path, SettingNode node)
    {
        if (node is SettingSequence sequence)
        {
            var columns = new List<string>(sequence.Items.Count);
            for (int i = 0; i < sequence.Items.Count; i++)
            {
                string item = FeatureSetPaths.Item(path, i);
                NotePosition(item, sequence.Items[i].Position);
                columns.Add(ReadString(item, sequence.Items[i]) ?? string.Empty);
            }

            return columns;
        }

        if (node is SettingScalar { Kind: ScalarKind.String or ScalarKind.Plain } scalar)
        {
            return [scalar.Text];
        }

        FailUnlessNull(path, node, "a column name or a list of column names");
        return [];
    }
}
