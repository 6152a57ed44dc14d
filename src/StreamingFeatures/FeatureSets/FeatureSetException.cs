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
        : base(SettingProblems.Message(subject, errors), innerException)
    {
        Errors = errors;
    }

    /// <summary>Every problem found, each naming the setting, its value and what is allowed.</summary>
    public IReadOnlyList<string> Errors { get; }
}
