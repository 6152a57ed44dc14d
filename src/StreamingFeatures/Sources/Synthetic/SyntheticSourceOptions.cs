namespace StreamingFeatures.Sources.Synthetic;

/// <summary>A deterministic synthetic feature table: the same options give the same rows, on any machine.</summary>
public sealed record SyntheticSourceOptions
{
    /// <summary>Rows to generate (0 to 10^12). Default 1,000,000.</summary>
    public long Rows { get; init; } = SyntheticSourceLimits.Rows.Default;

    /// <summary>Features per row (1 to 1,000). Default 8.</summary>
    public int Features { get; init; } = SyntheticSourceLimits.Features.Default;

    /// <summary>
    /// Bytes of each string feature (0 for int64 features only). With a value, features alternate int64, float64,
    /// bool and string. Default 0.
    /// </summary>
    public int ValueBytes { get; init; }

    public KeyDistribution Keys { get; init; } = KeyDistribution.Sequential;

    /// <summary>Distinct entities (1 to 10^12). Default: as many as rows.</summary>
    public long? KeySpace { get; init; }

    /// <summary>Zipf exponent s (above 0, at most 10). Default 1.1.</summary>
    public double ZipfExponent { get; init; } = 1.1;

    /// <summary>
    /// Share of rows (0 to 1) sent to the <see cref="HotKeys"/> hot entities (0 to HotKeys − 1) instead of the
    /// distribution's pick: a hot-key skew on top of any distribution. Default 0 (none).
    /// </summary>
    public double HotKeyShare { get; init; }

    /// <summary>How many hot entities share <see cref="HotKeyShare"/> (1 to the key space). Default 1.</summary>
    public long HotKeys { get; init; } = 1;

    /// <summary>Partitions generated in parallel, like read streams (1 to 1,024). Default 4.</summary>
    public int Partitions { get; init; } = 4;

    /// <summary>Rows per chunk (1 to 65,536). Default 1,024.</summary>
    public int ChunkRows { get; init; } = 1_024;

    public int Seed { get; init; } = 42;

    /// <summary>Event time of row 0; row i is one millisecond later per row. Default 2026-01-01T00:00:00Z.</summary>
    public DateTimeOffset StartTime { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public long EffectiveKeySpace => KeySpace ?? Math.Max(1, Rows);

    public void Validate()
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, nameof(Rows), Rows, SyntheticSourceLimits.Rows);
        OptionChecks.Range(errors, nameof(Features), Features, SyntheticSourceLimits.Features);

        if (ValueBytes is < 0 or > 10 * 1024 * 1024)
        {
            errors.Add($"ValueBytes is {ValueBytes}; allowed 0 to 10485760.");
        }

        if (EffectiveKeySpace is < 1 or > 1_000_000_000_000)
        {
            errors.Add($"KeySpace is {EffectiveKeySpace}; allowed 1 to 1000000000000.");
        }

        if (ZipfExponent is <= 0 or > 10 || double.IsNaN(ZipfExponent))
        {
            errors.Add($"ZipfExponent is {ZipfExponent}; allowed above 0 up to 10.");
        }

        if (HotKeyShare is < 0 or > 1 || double.IsNaN(HotKeyShare))
        {
            errors.Add($"HotKeyShare is {HotKeyShare}; allowed 0 to 1.");
        }

        if (HotKeys < 1 || HotKeys > EffectiveKeySpace)
        {
            errors.Add($"HotKeys is {HotKeys}; allowed 1 to the key space ({EffectiveKeySpace}).");
        }

        if (Partitions is < 1 or > 1024)
        {
            errors.Add($"Partitions is {Partitions}; allowed 1 to 1024.");
        }

        if (ChunkRows is < 1 or > 65_536)
        {
            errors.Add($"ChunkRows is {ChunkRows}; allowed 1 to 65536.");
        }

        if (!Enum.IsDefined(Keys))
        {
            errors.Add($"Keys is {Keys}; allowed Sequential, Uniform, Zipf.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid synthetic source options: " + string.Join(" ", errors));
        }
    }
}
