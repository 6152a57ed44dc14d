namespace StreamingFeatures.Sources.Columns;

/// <summary>
/// Exact decimals: value <c>i</c> is <c>Values[i] / 10^Scale</c>, the unscaled integer kept as an
/// <see cref="Int128"/> as Arrow's decimal128 and Parquet's DECIMAL store it, so 38 significant digits survive
/// (<see cref="decimal"/> holds 28). BigQuery NUMERIC is precision 38, scale 9.
/// </summary>
public sealed class NumericColumn : ColumnVector
{
    /// <summary>BigQuery NUMERIC's scale.</summary>
    public const int BigQueryScale = 9;

    public NumericColumn(Int128[] values, int scale, int count, bool[]? nulls = null)
        : base(ColumnType.Numeric, count, nulls)
    {
        if (scale is < 0 or > NumericText.MaxPrecision)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"A NumericColumn's scale is 0 to {NumericText.MaxPrecision}.");
        }

        if (values.Length < count)
        {
            throw new ArgumentException($"{count} values need {count} entries; got {values.Length}.", nameof(values));
        }

        Values = values;
        Scale = scale;
    }

    /// <summary>The unscaled values.</summary>
    public Int128[] Values { get; }

    /// <summary>Digits after the decimal point, the same for every value of the column.</summary>
    public int Scale { get; }

    /// <summary>Builds a column from decimal text such as <c>-1.5</c> (tests, small sources).</summary>
    /// <exception cref="FormatException">A value is not decimal text, or has more fraction digits than <paramref name="scale"/>.</exception>
    public static NumericColumn FromStrings(IReadOnlyList<string?> values, int scale = BigQueryScale)
    {
        var unscaled = new Int128[values.Count];
        bool[]? nulls = null;
        for (int i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } text)
            {
                (nulls ??= new bool[values.Count])[i] = true;
            }
            else if (!NumericText.TryParse(System.Text.Encoding.UTF8.GetBytes(text), scale, out unscaled[i]))
            {
                throw new FormatException($"'{text}' is not a decimal of at most {NumericText.MaxPrecision} digits with at most {scale} after the point.");
            }
        }

        return new NumericColumn(unscaled, scale, values.Count, nulls);
    }

    public override string Describe(int row) => IsNull(row) ? "null" : NumericText.ToString(Values[row], Scale);
}
