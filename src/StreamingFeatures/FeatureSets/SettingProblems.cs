using System.Globalization;
using System.Text;

namespace StreamingFeatures.FeatureSets;

/// <summary>The message of a setting file's exception: a header naming what was checked, then every problem on a line.</summary>
internal static class SettingProblems
{
    public static string Message(string subject, IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(errors);
        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"{subject} is invalid ({errors.Count} {(errors.Count == 1 ? "error" : "errors")}):");
        foreach (string error in errors)
        {
            message.AppendLine().Append("  ").Append(error);
        }

        return message.ToString();
    }
}
