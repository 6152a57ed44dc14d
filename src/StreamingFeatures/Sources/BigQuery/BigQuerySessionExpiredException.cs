namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// A stream could not be read because its read session expired (BigQuery keeps one for 6 hours): the rows handed on
/// stay handed on, the rest can only be read through a new session, whose streams split the table differently.
/// </summary>
public sealed class BigQuerySessionExpiredException : Exception
{
    public BigQuerySessionExpiredException()
    {
    }

    public BigQuerySessionExpiredException(string message)
        : base(message)
    {
    }

    public BigQuerySessionExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The session that expired.</summary>
    public string Session { get; init; } = "";

    /// <summary>Its expire time, else when a read found it expired.</summary>
    public DateTimeOffset? ExpiredAt { get; init; }
}
