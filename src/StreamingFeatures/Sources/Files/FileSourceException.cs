namespace StreamingFeatures.Sources.Files;

/// <summary>
/// Files that cannot feed a job: no file matched, a column missing or typed differently from the first file, a type
/// the engine cannot map. Raised when the source is opened, before any row is sent; lists every problem.
/// </summary>
public sealed class FileSourceException : Exception
{
    public FileSourceException(IReadOnlyList<string> errors)
        : base("The file source cannot be read:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
