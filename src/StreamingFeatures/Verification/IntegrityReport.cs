namespace StreamingFeatures.Verification;

/// <summary>What a job proved: every source row accounted for, and of those read back, which matched.</summary>
public sealed record IntegrityReport
{
    public VerificationMode Mode { get; init; }

    public long RowsRead { get; init; }

    public long RowsWritten { get; init; }

    public long DeadLettered { get; init; }

    public long RowsVerified { get; init; }

    public long Matched { get; init; }

    public long Missing { get; init; }

    public long Changed { get; init; }

    /// <summary>Rows read back with a newer event's cell where theirs was: the newest event wins, so not a difference.</summary>
    public long Superseded { get; init; }

    public IReadOnlyList<string> MissingKeys { get; init; } = [];

    public IReadOnlyList<string> ChangedKeys { get; init; } = [];

    public IReadOnlyDictionary<int, Checksum> ByPartition { get; init; } = new Dictionary<int, Checksum>();

    public IReadOnlyDictionary<int, Checksum> ByBucket { get; init; } = new Dictionary<int, Checksum>();

    public long Retries { get; init; }

    /// <summary>Every row read was written or dead-lettered, and every row read back matched.</summary>
    public bool IsClean => RowsRead == RowsWritten + DeadLettered && Missing == 0 && Changed == 0;
}
