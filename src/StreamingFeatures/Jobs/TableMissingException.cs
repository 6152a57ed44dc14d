namespace StreamingFeatures.Jobs;

/// <summary>The job's table does not exist and <see cref="TableProvisioning.Forbid"/> forbids creating it.</summary>
public sealed class TableMissingException : Exception
{
    public TableMissingException()
    {
    }

    public TableMissingException(string tableName)
        : base($"Table {tableName} does not exist and --no-create forbids creating it.")
    {
        TableName = tableName;
    }

    public TableMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary><c>projects/P/instances/I/tables/T</c>.</summary>
    public string? TableName { get; }
}
