namespace StreamingFeatures.Sources.BigQuery;

public sealed partial record BigQuerySourceOptions
{
    /// <summary>
    /// The Arrow buffer compression the session asks for (LZ4 frames by default, or none); ignored for Avro. Batches
    /// are decoded whichever way they come, so a resumed session reads as it was created.
    /// </summary>
    public BigQueryArrowCompression ArrowCompression { get; init; } = BigQueryArrowCompression.Lz4Frame;

    private void ValidateCompression(List<string> errors)
    {
        if (!Enum.IsDefined(ArrowCompression))
        {
            errors.Add(Invariant($"ArrowCompression is {(int)ArrowCompression}; allowed Lz4Frame or None."));
        }
    }
}
