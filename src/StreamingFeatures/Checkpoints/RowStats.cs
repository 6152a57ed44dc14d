namespace StreamingFeatures.Checkpoints;

/// <summary>
/// What became of a range of source rows: read, written, dead-lettered, and of those read back, which matched. Kept
/// per committed range so a resumed job's report adds the earlier runs' figures to its own without counting a row
/// twice. Digest sum and xor make the partition's order-independent checksum (see Verification.Checksum). Superseded
/// rows were read back overwritten by a newer event (a live stream during a cutover): neither matched nor changed.
/// </summary>
public readonly record struct RowStats(
    long Read,
    long Written,
    long DeadLettered,
    long Verified,
    long Missing,
    long Changed,
    long Retries,
    ulong DigestSum,
    ulong DigestXor,
    long Superseded = 0)
{
    public long Matched => Verified - Missing - Changed - Superseded;

    public static RowStats operator +(RowStats a, RowStats b) => new(
        a.Read + b.Read,
        a.Written + b.Written,
        a.DeadLettered + b.DeadLettered,
        a.Verified + b.Verified,
        a.Missing + b.Missing,
        a.Changed + b.Changed,
        a.Retries + b.Retries,
        unchecked(a.DigestSum + b.DigestSum),
        a.DigestXor ^ b.DigestXor,
        a.Superseded + b.Superseded);

    public static RowStats Add(RowStats a, RowStats b) => a + b;
}
