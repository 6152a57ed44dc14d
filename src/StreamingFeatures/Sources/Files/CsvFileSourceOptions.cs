namespace StreamingFeatures.Sources.Files;

/// <summary>How a <see cref="CsvFileSource"/> reads its files.</summary>
public sealed record CsvFileSourceOptions
{
    /// <summary>
    /// The columns to read and their types, matched by header name (the header may hold more columns, in any order).
    /// Default: every column of the first file's header, typed from a sample by the rules of <see cref="CsvValues"/>.
    /// </summary>
    public SourceSchema? Schema { get; init; }

    /// <summary>Data rows sampled to infer the column types, from the first files on (1 to 1,000,000). Default 1,000.</summary>
    public int InferenceRows { get; init; } = FileSourceLimits.InferenceRows.Default;

    /// <summary>Rows per chunk at most (1 to 65,536). Default 8,192.</summary>
    public int ChunkRows { get; init; } = FileSourceLimits.ChunkRows.Default;

    /// <summary>Files read at the same time, each its own partition (1 to 64). Default 2.</summary>
    public int MaxConcurrentFiles { get; init; } = FileSourceLimits.MaxConcurrentFiles.Default;

    /// <summary>The field separator, an ASCII character. Default <c>,</c>.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>
    /// Whether a quoted field may span lines, as BigQuery's <c>allow_quoted_newlines</c>. Default false: a line whose
    /// quote does not close on it is dead-lettered alone and reading goes on at the next line. When true, a record
    /// that fails (wrong field count, over <see cref="MaxRecordBytes"/>, the file ends inside quotes) is dead-lettered
    /// with the lines it spanned and reading goes on at the line after its first line.
    /// </summary>
    public bool AllowQuotedNewlines { get; init; }

    /// <summary>
    /// The longest record in bytes (1 KiB to 100 MiB, Bigtable's cell limit). A longer one is dead-lettered with a
    /// prefix and its length, read past without being held whole. Default 64 MiB.
    /// </summary>
    public int MaxRecordBytes { get; init; } = FileSourceLimits.MaxRecordBytes.Default;

    /// <summary>
    /// Wraps each opened file's stream before it is read (null: read the file directly); lets a reader be run against
    /// streams that return few bytes per read, as pipes and network file systems may.
    /// </summary>
    internal Func<Stream, Stream>? ReadThrough { get; init; }

    public void Validate()
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, nameof(InferenceRows), InferenceRows, FileSourceLimits.InferenceRows);
        OptionChecks.Range(errors, nameof(ChunkRows), ChunkRows, FileSourceLimits.ChunkRows);
        OptionChecks.Range(errors, nameof(MaxConcurrentFiles), MaxConcurrentFiles, FileSourceLimits.MaxConcurrentFiles);
        OptionChecks.Range(errors, nameof(MaxRecordBytes), MaxRecordBytes, FileSourceLimits.MaxRecordBytes);
        if (!char.IsAscii(Separator) || Separator is '"' or '\r' or '\n')
        {
            errors.Add($"Separator is '{Separator}'; allowed: an ASCII character other than a quote or a line break.");
        }

        if (Schema is { Fields.Count: 0 })
        {
            errors.Add("Schema has no columns; declare at least one, or leave it unset to infer the types.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid CSV file source options: " + string.Join(" ", errors));
        }
    }
}
