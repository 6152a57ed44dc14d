namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>What an injected ReadRows fault does.</summary>
public enum BigQueryFaultKind
{
    /// <summary>After <see cref="BigQueryReadFault.AfterRows"/> rows of the call, end it with UNAVAILABLE.</summary>
    Unavailable,

    /// <summary>
    /// After <see cref="BigQueryReadFault.AfterRows"/> rows of the call, abort its HTTP/2 stream (RST_STREAM) with no
    /// gRPC status, as a proxy or a server restart does; clients see it as an INTERNAL or "unexpected EOS" error.
    /// </summary>
    ResetStream,

    /// <summary>Refuse the call at once with RESOURCE_EXHAUSTED and a RetryInfo of <see cref="BigQueryReadFault.RetryDelay"/>.</summary>
    ResourceExhausted,
}
