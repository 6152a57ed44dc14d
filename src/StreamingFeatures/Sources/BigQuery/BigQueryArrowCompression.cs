namespace StreamingFeatures.Sources.BigQuery;

/// <summary>How an Arrow session's record batch buffers travel; Avro sessions are never compressed this way.</summary>
public enum BigQueryArrowCompression
{
    /// <summary>
    /// Buffers compressed as LZ4 frames (the service's LZ4_FRAME codec), the default: fewer bytes on the wire for a
    /// little decoding CPU, and decoded by Apache.Arrow.Compression.
    /// </summary>
    Lz4Frame,

    /// <summary>Buffers sent as they are: the least client CPU, the most bytes.</summary>
    None,
}
