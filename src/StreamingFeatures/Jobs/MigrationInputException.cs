namespace StreamingFeatures.Jobs;

/// <summary>
/// The job cannot run as configured: its source, feature set or target is wrong (a file that does not parse, a
/// schema that does not fit, no Bigtable named). Found before anything is written; the message says what to fix.
/// </summary>
public sealed class MigrationInputException : Exception
{
    public MigrationInputException()
    {
    }

    public MigrationInputException(string message)
        : base(message)
    {
    }

    public MigrationInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
