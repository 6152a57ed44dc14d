using System.Globalization;

namespace StreamingFeatures.FeatureSets;

/// <summary>Setting paths as users write them: <c>features[3].family</c>, <c>families.meta.maxAge</c>, <c>rowKey.buckets</c>.</summary>
internal static class FeatureSetPaths
{
    public static string Child(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static string Item(string list, int index) => string.Create(CultureInfo.InvariantCulture, $"{list}[{index}]");

    public static string Feature(int index) => Item("features", index);

    /// <summary>A family's path; a name with dots, spaces or other odd characters is bracketed so the path stays unambiguous.</summary>
    public static string Family(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? "families." + name
            : "families[" + FeatureSetError.Quote(name, truncate: false) + "]";

    /// <summary>The path one level up (<c>features[3].family</c> → <c>features[3]</c> → <c>features</c>), or null at the top.</summary>
    public static string? Parent(string path)
    {
        int cut = path.EndsWith(']') ? path.LastIndexOf('[') : path.LastIndexOf('.');
        return cut > 0 ? path[..cut] : null;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="ancestor"/> or lies inside it; the empty path is the root.</summary>
    public static bool IsWithin(string path, string ancestor) =>
        ancestor.Length == 0
        || path.StartsWith(ancestor, StringComparison.Ordinal)
        && (path.Length == ancestor.Length || path[ancestor.Length] is '.' or '[');
}
