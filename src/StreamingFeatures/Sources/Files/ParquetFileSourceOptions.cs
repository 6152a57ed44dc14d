namespace StreamingFeatures.Sources.Files;

/// <summary>How a <see cref="ParquetFileSource"/> reads its files.</summary>
public sealed record ParquetFileSourceOptions
{
    /// <summary>Rows per chunk at most, whatever the row-group size (1 to 65,536). Default 8,192.</summary>
    public int ChunkRows { get; init; } = FileSourceLimits.ChunkRows.Default;

    /// <summary>Files read at the same time, each its own partition (1 to 64). Default 2.</summary>
    public int MaxConcurrentFiles { get; init; } = FileSourceLimits.MaxConcurrentFiles.Default;

    /// <summary>
    /// The columns to read, in the order of the source schema; other columns are never decoded, so an unsupported
    /// type in a column the job does not use is no error. Default: every column of the first file.
    /// </summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>
    /// Read DECIMAL columns as Float64 (the nearest double). A double holds about 15–17 significant digits, so a
    /// DECIMAL(38, 9) such as BigQuery's NUMERIC may lose precision: this is a deliberate choice of the caller.
    /// Default false: a DECIMAL of up to 38 digits reads exactly as Numeric, which feeds a Float64 feature (the same
    /// nearest double) or a String feature (its exact text); a wider DECIMAL is refused when the source is opened.
    /// </summary>
    public bool DecimalAsFloat64 { get; init; }

    /// <summary>
    /// The longest string or bytes value, in bytes (1 KiB to 100 MiB, Bigtable's cell limit). A row holding a longer
    /// one is dead-lettered (<see cref="DeadLetters.DeadLetterReason.ValueTooLarge"/>, naming the column, the length
    /// and the limit) and the file goes on. Default 64 MiB.
    /// </summary>
    public int MaxValueBytes { get; init; } = FileSourceLimits.MaxRecordBytes.Default;

    public void Validate()
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, nameof(ChunkRows), ChunkRows, FileSourceLimits.ChunkRows);
        OptionChecks.Range(errors, nameof(MaxConcurrentFiles), MaxConcurrentFiles, FileSourceLimits.MaxConcurrentFiles);
        OptionChecks.Range(errors, nameof(MaxValueBytes), MaxValueBytes, FileSourceLimits.MaxRecordBytes);
        if (Columns is { Count: 0 })
        {
            errors.Add("Columns is empty; name at least one column, or leave it unset to read every column.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Parquet file source options: " + string.Join(" ", errors));
        }
    }
}
