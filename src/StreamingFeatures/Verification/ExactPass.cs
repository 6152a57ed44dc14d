namespace StreamingFeatures.Verification;

/// <summary>
/// One exact search: key ranges whose sums differ, and the slice of their keys it holds. A range with more keys than
/// one pass may hold is searched in several slices, each keeping the keys whose hash falls in it.
/// </summary>
/// <param name="Ranges">The key ranges searched.</param>
/// <param name="Slice">Which slice of the keys this pass holds, from 0.</param>
/// <param name="Slices">How many slices the ranges' keys are cut into (1: all of them).</param>
internal sealed record ExactPass(int[] Ranges, int Slice = 0, int Slices = 1)
{
    /// <summary>
    /// True when the key of <paramref name="keyHash"/> belongs to this pass. The high half of the hash decides, so
    /// slices stay independent of shards, which take the hash modulo their count.
    /// </summary>
    public bool Holds(ulong keyHash) => Slices == 1 || (keyHash >> 32) % (ulong)Slices == (ulong)Slice;
}
