namespace StreamingFeatures.Sources.BigQuery;

/// <summary>The format the Storage Read API serialises rows in; a read session keeps the one it was created with.</summary>
public enum BigQueryDataFormat
{
    /// <summary>Arrow record batches, column by column: the cheaper to decode, and the default.</summary>
    Arrow,

    /// <summary>Avro binary rows, record by record, with an Avro JSON schema.</summary>
    Avro,
}
