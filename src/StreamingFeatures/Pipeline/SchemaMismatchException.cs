namespace StreamingFeatures.Pipeline;

/// <summary>The source's columns do not fit the feature set; found before anything is written. Lists every problem.</summary>
public sealed class SchemaMismatchException : Exception
{
    public SchemaMismatchException(IReadOnlyList<string> errors)
        : base("The source does not match the feature set:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
