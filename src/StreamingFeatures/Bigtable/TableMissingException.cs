namespace StreamingFeatures.Bigtable;

/// <summary>The job's table does not exist and <see cref="TableProvisioning.Forbid"/> forbids creating it.</summary>
public sealed class TableMissingException : Exception
{
    public TableMissingException()
    {
        TableName = string.Empty;
    }

    public TableMissingException(string tableName)
        : base($"Table {tableName} does not exist, and the job may not create it.")
    {
        TableName = tableName;
    }

    public TableMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
        TableName = string.Empty;
    }

    /// <summary>The table's full name, <c>projects/P/instances/I/tables/T</c>.</summary>
    public string TableName { get; }
}
