namespace StreamingFeatures.Verification;

/// <summary>
/// An order-independent checksum of a set of rows: count, wrapping sum and xor of their digests. Two sides that saw
/// the same rows, in any order and any split, agree; merging is addition.
/// </summary>
public readonly record struct Checksum(long Count, ulong Sum, ulong Xor)
{
    public Checksum Add(ulong digest) => new(Count + 1, unchecked(Sum + digest), Xor ^ digest);

    public Checksum Merge(Checksum other) => new(Count + other.Count, unchecked(Sum + other.Sum), Xor ^ other.Xor);

    public override string ToString() => $"{Count} rows, sum {Sum:x16}, xor {Xor:x16}";
}
