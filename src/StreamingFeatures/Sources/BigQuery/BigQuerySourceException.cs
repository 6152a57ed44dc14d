namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// A BigQuery read that cannot go on: the table is missing, a column has a type the engine cannot map, or a stream
/// failed permanently (the message names the table, the stream and the offset).
/// </summary>
public sealed class BigQuerySourceException : Exception
{
    public BigQuerySourceException()
    {
    }

    public BigQuerySourceException(string message)
        : base(message)
    {
    }

    public BigQuerySourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
