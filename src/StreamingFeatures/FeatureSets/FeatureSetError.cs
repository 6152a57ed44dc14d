using System.Globalization;
using System.Text;

namespace StreamingFeatures.FeatureSets;

/// <summary>One problem, keyed by the setting path so the loader can add a file position and drop follow-on errors.</summary>
internal readonly record struct FeatureSetError(string Path, string Message)
{
    /// <summary>Where the offending text starts, when the error comes from a file.</summary>
    public TextPosition? Position { get; init; }

    // Long values (a 16 KiB qualifier) would swamp the message; the length is shown instead.
    private const int ShownChars = 40;

    public static FeatureSetError Invalid(string path, string value, string allowed) =>
        new(path, $"{path} is {value}; allowed: {allowed}");

    /// <summary>A string value as a message shows it: <c>null</c>, <c>empty</c> or quoted, escaped and truncated.</summary>
    public static string Show(string? value) => value switch
    {
        null => "null",
        "" => "empty",
        _ => Quote(value),
    };

    public static string Show(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Quotes and escapes <paramref name="value"/>, so control characters cannot break the one-line-per-error layout.</summary>
    public static string Quote(string value, bool truncate = true)
    {
        bool cut = truncate && value.Length > ShownChars;
        var text = new StringBuilder(ShownChars + 24).Append('"');
        foreach (char c in cut ? value.AsSpan(0, ShownChars) : value.AsSpan())
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }

        return cut
            ? text.Append(CultureInfo.InvariantCulture, $"…\" ({value.Length:N0} characters)").ToString()
            : text.Append('"').ToString();
    }
}
