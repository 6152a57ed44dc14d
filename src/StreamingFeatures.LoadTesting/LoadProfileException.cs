using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.LoadTesting;

/// <summary>A load profile that cannot be used; carries every problem found, each naming the setting, its value and what is allowed.</summary>
public sealed class LoadProfileException : Exception
{
    public LoadProfileException(string subject, IReadOnlyList<string> errors, Exception? innerException = null)
        : base(SettingProblems.Message(subject, errors), innerException)
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
