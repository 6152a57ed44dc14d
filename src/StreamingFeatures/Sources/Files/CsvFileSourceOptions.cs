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
    public int InferenceRows { get; init; } = 1_000;

    /// <summary>Rows per chunk at most (1 to 65,536). Default 8,192.</summary>
    public int ChunkRows { get; init; } = 8_192;

    /// <summary>Files read at the same time, each its own partition (1 to 64). Default 2.</summary>
    public int MaxConcurrentFiles { get; init; } = 2;

    /// <summary>The field separator, an ASCII character. Default <c>,</c>.</summary>
    public char Separator { get; init; } = ',';

    public void Validate()
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, nameof(InferenceRows), InferenceRows, 1, 1_000_000);
        OptionChecks.Range(errors, nameof(ChunkRows), ChunkRows, 1, 65_536);
        OptionChecks.Range(errors, nameof(MaxConcurrentFiles), MaxConcurrentFiles, 1, 64);
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
