using System.Buffers;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline.Stages;

namespace StreamingFeatures.Verification;

/// <summary>
/// A row whose digest differs, feature by feature: superseded only when every feature that differs was overwritten
/// by a newer event (the live stream during a cutover); any other difference makes the row changed.
/// </summary>
internal sealed partial class RowDigester
{
    /// <summary>
    /// Compares row <paramref name="key"/> as read back with what was written: <paramref name="expectedDigest"/> and
    /// <paramref name="expectedMutations"/>, the entry's mutations as the mapper encoded them (after the row key).
    /// </summary>
    public RowOutcome Compare(ReadOnlySpan<byte> key, FeatureCells cells, long timestampMicros, ulong expectedDigest, ReadOnlySpan<byte> expectedMutations, out ulong digest)
    {
        digest = Digest(key, cells, timestampMicros);
        return digest == expectedDigest ? RowOutcome.Matched
            : AllDifferencesSuperseded(cells, timestampMicros, expectedMutations) ? RowOutcome.Superseded
            : RowOutcome.Changed;
    }

    /// <summary>
    /// True when each feature whose mutation as read back differs from the written one was overwritten by a newer
    /// event: its column holds a cell newer than the event (a max-versions or max-age rule may then have collected
    /// the row's own cell, and the newer cell is what readers get); or, with deleted nulls, its column is empty while
    /// another feature holds a cell newer than the event. Ingest writes every feature of an event (a feature absent
    /// from a message is a null), so that newer event either set this feature, leaving a newer cell, or deleted it up
    /// to its own millisecond, leaving the column empty. What stays ambiguous: a backfilled cell lost while such a
    /// newer null also deleted it (harmless: the null is what readers should get), and a newer writer other than
    /// ingest that leaves a feature out (then a lost cell reads as superseded). A newer event whose features were
    /// all null leaves no evidence, so that row reads as changed.
    /// </summary>
    private bool AllDifferencesSuperseded(FeatureCells cells, long timestampMicros, ReadOnlySpan<byte> expectedMutations)
    {
        IReadOnlyList<FeaturePlan> features = mapper.Features;
        int[] match = ArrayPool<int>.Shared.Rent(features.Count);
        byte[] seen = ArrayPool<byte>.Shared.Rent(features.Count);
        byte[] observed = ArrayPool<byte>.Shared.Rent(256);
        try
        {
            Scan(cells, timestampMicros, match, seen);
            bool newerCell = false;
            for (int c = 0; c < cells.Count && !newerCell; c++)
            {
                newerCell = cells.TimestampMicros(c) > timestampMicros;
            }

            bool differs = false;
            int at = 0;
            for (int f = 0; f < features.Count; f++)
            {
                ReadOnlySpan<byte> expected = NextMutation(expectedMutations, ref at, features[f]);
                int size = ObservedSize(f, cells, timestampMicros, match[f], seen[f]);
                if (observed.Length < size)
                {
                    ArrayPool<byte>.Shared.Return(observed);
                    observed = ArrayPool<byte>.Shared.Rent(size);
                }

                int written = WriteObserved(observed, f, cells, timestampMicros, match[f], seen[f]);
                if (expected.SequenceEqual(observed.AsSpan(0, written)))
                {
                    continue;
                }

                differs = true;
                bool overwritten = (seen[f] & Newer) != 0;
                bool deletedByNewerNull = mapper.Nulls == NullHandling.DeleteColumn && seen[f] == 0 && newerCell;
                if (!overwritten && !deletedByNewerNull)
                {
                    return false;
                }
            }

            // Mutations left over (or unreadable) were not the mapper's: no proof of anything.
            return differs && at == expectedMutations.Length;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(match);
            ArrayPool<byte>.Shared.Return(seen);
            ArrayPool<byte>.Shared.Return(observed);
        }
    }

    /// <summary>
    /// The mutation of <paramref name="feature"/> at <paramref name="at"/> in an entry's mutations (the mapper writes
    /// them in feature order, leaving out skipped nulls); empty, with <paramref name="at"/> unchanged, when the next
    /// mutation is another feature's.
    /// </summary>
    private static ReadOnlySpan<byte> NextMutation(ReadOnlySpan<byte> mutations, ref int at, FeaturePlan feature)
    {
        // Mutation (entry field 2) wrapping a SetCell (1) or DeleteFromColumn (2), whose first fields are the
        // feature's family and qualifier.
        ReadOnlySpan<byte> rest = mutations[at..];
        if (rest.Length < 2 || rest[0] != 0x12)
        {
            return default;
        }

        int header = 1 + ProtoWire.ReadVarint(rest[1..], out ulong length);
        if (length > (ulong)(rest.Length - header))
        {
            return default;
        }

        ReadOnlySpan<byte> mutation = rest[..(header + (int)length)];
        ReadOnlySpan<byte> inner = mutation[header..];
        if (inner.Length < 2 || (inner[0] != 0x0A && inner[0] != 0x12))
        {
            return default;
        }

        int innerHeader = 1 + ProtoWire.ReadVarint(inner[1..], out _);
        if (!inner[innerHeader..].StartsWith(feature.FamilyQualifier))
        {
            return default;
        }

        at += mutation.Length;
        return mutation;
    }
}
