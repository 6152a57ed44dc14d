using Google.Cloud.BigQuery.Storage.V1;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>Turns one ReadRows response's rows, in the session's format, into a chunk of column arrays.</summary>
internal interface IReadRowsDecoder
{
    /// <exception cref="InvalidDataException">The response holds no rows in this format, or they do not decode.</exception>
    SourceChunk Decode(int partition, long firstOffset, ReadRowsResponse response);
}
