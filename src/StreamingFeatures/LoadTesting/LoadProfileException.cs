using System.Globalization;
using System.Text;

namespace StreamingFeatures.LoadTesting;

/// <summary>A load profile that cannot be used; carries every problem found, each naming the setting, its value and what is allowed.</summary>
public sealed class LoadProfileException : Exception
{
    public LoadProfileException(string subject, IReadOnlyList<string> errors, Exception? innerException = null)
        : base(BuildMessage(subject, errors), innerException)
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }

    private static string BuildMessage(string subject, IReadOnlyList<string> errors)
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
