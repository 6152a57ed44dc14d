using System.Globalization;
using System.Text;

namespace StreamingFeatures.FeatureSets;

/// <summary>
/// A feature set that cannot be used: a file that cannot be read or parsed, or options that break a limit. Carries
/// every problem found, so one round of fixes is enough.
/// </summary>
public sealed class FeatureSetException : Exception
{
    /// <summary>Creates the exception for <paramref name="subject"/> (e.g. <c>Feature set file 'a.yaml'</c>).</summary>
    /// <param name="subject">What was checked; starts the message's header line.</param>
    /// <param name="errors">Every problem, one line each.</param>
    /// <param name="innerException">The parser or I/O failure behind the problems, if any.</param>
    public FeatureSetException(string subject, IReadOnlyList<string> errors, Exception? innerException = null)
        : base(BuildMessage(subject, errors), innerException)
    {
        Errors = errors;
    }

    /// <summary>Every problem found, each naming the setting, its value and what is allowed.</summary>
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
