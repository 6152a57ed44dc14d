namespace StreamingFeatures.Sources.Columns;

/// <summary>
/// One column of a <see cref="SourceChunk"/>: values in plain arrays (Arrow-like), so the mapper reads them
/// without boxing. Sealed subclasses per physical type.
/// </summary>
public abstract class ColumnVector
{
    protected ColumnVector(ColumnType type, int count, bool[]? nulls)
    {
        if (nulls is not null && nulls.Length < count)
        {
            throw new ArgumentException($"The null mask has {nulls.Length} entries for {count} rows.", nameof(nulls));
        }

        Type = type;
        Count = count;
        Nulls = nulls;
    }

    public ColumnType Type { get; }

    public int Count { get; }

    /// <summary>True where the value is null; null when the column has no nulls.</summary>
    public bool[]? Nulls { get; }

    public bool IsNull(int row) => Nulls is not null && Nulls[row];

    /// <summary>The value as text, for dead-letter records and error messages (never on the hot path).</summary>
    public abstract string Describe(int row);
}
