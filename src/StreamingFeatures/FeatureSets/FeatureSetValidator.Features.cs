using System.Globalization;
using System.Text;

namespace StreamingFeatures.FeatureSets;

public static partial class FeatureSetValidator
{
    private static void CheckFeatures(
        List<FeatureSetError> errors, List<FeatureOptions>? features, Dictionary<string, ColumnFamilyOptions>? families)
    {
        if (features is null || features.Count is 0 or > MaxFeatures)
        {
            string count = features is null ? "is null" : string.Create(CultureInfo.InvariantCulture, $"has {features.Count:N0} entries");
            errors.Add(new FeatureSetError("features", $"features {count}; allowed: {FeaturesRange} features"));
            if (features is null)
            {
                return;
            }
        }

        string declared = families is { Count: > 0 }
            ? "a family declared in families (" + string.Join(", ", families.Keys) + ")"
            : "a family declared in families (none are)";
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var cells = new Dictionary<(string Family, string Qualifier), int>();
        for (int i = 0; i < features.Count; i++)
        {
            string path = FeatureSetPaths.Feature(i);
            FeatureOptions? feature = features[i];
            if (feature is null)
            {
                errors.Add(FeatureSetError.Invalid(path, "null", "a feature"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(feature.Name))
            {
                errors.Add(FeatureSetError.Invalid(path + ".name", FeatureSetError.Show(feature.Name), "a feature name"));
            }
            else if (!names.TryAdd(feature.Name, i))
            {
                errors.Add(FeatureSetError.Invalid(
                    path + ".name", FeatureSetError.Show(feature.Name), $"a name no other feature has ({FeatureSetPaths.Feature(names[feature.Name])} has it)"));
            }

            // An empty column means "use the name"; a blank one is a mistake, not a column.
            if (feature.Column is { Length: > 0 } column && string.IsNullOrWhiteSpace(column))
            {
                errors.Add(FeatureSetError.Invalid(path + ".column", FeatureSetError.Show(column), "a column name, or none to read the column named like the feature"));
            }

            bool familyUsable = CheckFamilyReference(errors, path + ".family", feature.Family, families, declared);
            CheckQualifier(errors, path, feature, familyUsable, cells, i);
            CheckEnum(errors, path + ".type", feature.Type);
        }
    }

    private static bool CheckFamilyReference(
        List<FeatureSetError> errors, string path, string? family, Dictionary<string, ColumnFamilyOptions>? families, string declared)
    {
        if (string.IsNullOrEmpty(family))
        {
            errors.Add(FeatureSetError.Invalid(path, FeatureSetError.Show(family), declared));
            return false;
        }

        if (family.Length > MaxFamilyNameLength || !IdPattern().IsMatch(family))
        {
            errors.Add(FeatureSetError.Invalid(path, FeatureSetError.Show(family), FamilyRule));
            return false;
        }

        if (families is not null && !families.ContainsKey(family))
        {
            errors.Add(FeatureSetError.Invalid(path, FeatureSetError.Show(family), declared));
        }

        return true;
    }

    private static void CheckQualifier(
        List<FeatureSetError> errors,
        string path,
        FeatureOptions feature,
        bool familyUsable,
        Dictionary<(string Family, string Qualifier), int> cells,
        int index)
    {
        string qualifier = feature.ColumnQualifier;
        string from = string.IsNullOrEmpty(feature.Qualifier) ? ", taken from name" : string.Empty;
        int bytes = Encoding.UTF8.GetByteCount(qualifier);
        if (bytes > MaxQualifierBytes)
        {
            string value = string.Create(CultureInfo.InvariantCulture, $"{FeatureSetError.Quote(qualifier)} ({bytes:N0} bytes of UTF-8{from})");
            errors.Add(FeatureSetError.Invalid(path + ".qualifier", value, "at most 16,384 bytes of UTF-8"));
        }

        // Two features writing one cell would overwrite each other; Bigtable qualifiers are bytes, so compare ordinally.
        if (familyUsable && qualifier.Length > 0 && !cells.TryAdd((feature.Family, qualifier), index))
        {
            string value = $"{FeatureSetError.Show(qualifier)} in family {FeatureSetError.Show(feature.Family)}{from}";
            string other = FeatureSetPaths.Feature(cells[(feature.Family, qualifier)]);
            errors.Add(FeatureSetError.Invalid(path + ".qualifier", value, $"a cell no other feature writes ({other} writes it)"));
        }
    }
}
