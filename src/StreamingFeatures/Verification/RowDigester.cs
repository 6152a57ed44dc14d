using System.Buffers;
using System.IO.Hashing;
using Google.Cloud.Bigtable.V2;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline.Stages;

namespace StreamingFeatures.Verification;

/// <summary>
/// The digest of a row as read back: the entry the mapper would have encoded for the cells Bigtable holds at the
/// row's event timestamp. Equal to the write-side digest exactly when every cell landed intact.
/// </summary>
internal sealed partial class RowDigester(RowMapper mapper)
{
    // What a feature's column holds besides the cell at the event timestamp; no flag means an empty column.
    private const byte OlderOrEqual = 1;
    private const byte Newer = 2;

    public IReadOnlyList<FeaturePlan> Features => mapper.Features;

    /// <summary>The digest of a merged row (tests, diagnostics); the read-back itself uses <see cref="ReadRowsDigester"/>.</summary>
    public ulong Digest(Row row, long timestampMicros) => Digest(row.Key.Span, CellsOf(row), timestampMicros);

    /// <summary>As <see cref="Compare(ReadOnlySpan{byte}, FeatureCells, long, ulong, ReadOnlySpan{byte}, out ulong)"/>, for a merged row.</summary>
    public RowOutcome Compare(Row row, long timestampMicros, ulong expectedDigest, ReadOnlySpan<byte> expectedMutations) =>
        Compare(row.Key.Span, CellsOf(row), timestampMicros, expectedDigest, expectedMutations, out _);

    /// <summary>
    /// The digest of row <paramref name="key"/> from its feature cells: per feature, the cell at exactly the event
    /// timestamp (the last such when there are several); with deleted nulls, a feature without one counts as a delete
    /// unless the column still holds a cell the delete would have removed.
    /// </summary>
    public ulong Digest(ReadOnlySpan<byte> key, FeatureCells cells, long timestampMicros)
    {
        IReadOnlyList<FeaturePlan> features = mapper.Features;
        int[] match = ArrayPool<int>.Shared.Rent(features.Count);
        byte[] seen = ArrayPool<byte>.Shared.Rent(features.Count);
        byte[]? buffer = null;
        try
        {
            Scan(cells, timestampMicros, match, seen);
            int size = ProtoWire.FieldSize(key.Length);
            for (int f = 0; f < features.Count; f++)
            {
                size += ObservedSize(f, cells, timestampMicros, match[f], seen[f]);
            }

            buffer = ArrayPool<byte>.Shared.Rent(size);
            Span<byte> body = buffer.AsSpan(0, size);
            int at = ProtoWire.WriteHeader(body, 1, key.Length);
            key.CopyTo(body[at..]);
            at += key.Length;
            for (int f = 0; f < features.Count; f++)
            {
                at += WriteObserved(body[at..], f, cells, timestampMicros, match[f], seen[f]);
            }

            return XxHash3.HashToUInt64(body[..at]);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(match);
            ArrayPool<byte>.Shared.Return(seen);
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Per feature: the cell at the event timestamp (or -1), and what else its column holds.</summary>
    private void Scan(FeatureCells cells, long timestampMicros, Span<int> match, Span<byte> seen)
    {
        int count = mapper.Features.Count;
        match[..count].Fill(-1);
        seen[..count].Clear();
        long deleteEnd = FeaturePlan.DeleteEnd(timestampMicros);
        for (int c = 0; c < cells.Count; c++)
        {
            int f = cells.Feature(c);
            long cellTimestamp = cells.TimestampMicros(c);
            if (cellTimestamp == timestampMicros)
            {
                match[f] = c;
            }

            seen[f] |= cellTimestamp < deleteEnd ? OlderOrEqual : (byte)0;
            seen[f] |= cellTimestamp > timestampMicros ? Newer : (byte)0;
        }
    }

    /// <summary>Whether a feature reads back as a delete: no cell at the event time, none the delete would have left.</summary>
    private bool ReadsAsDelete(int match, byte seen) => match < 0 && mapper.Nulls == NullHandling.DeleteColumn && (seen & OlderOrEqual) == 0;

    /// <summary>Bytes of the mutation the mapper would have written for feature <paramref name="f"/> as read back (0: none).</summary>
    private int ObservedSize(int f, FeatureCells cells, long timestampMicros, int match, byte seen)
    {
        FeaturePlan feature = mapper.Features[f];
        return match >= 0 ? RowMapper.MutationFieldSize(feature.SetCellSize(timestampMicros, cells.Value(match).Length))
            : ReadsAsDelete(match, seen) ? RowMapper.MutationFieldSize(feature.DeleteSize(timestampMicros))
            : 0;
    }

    private int WriteObserved(Span<byte> destination, int f, FeatureCells cells, long timestampMicros, int match, byte seen)
    {
        FeaturePlan feature = mapper.Features[f];
        if (match >= 0)
        {
            ReadOnlySpan<byte> value = cells.Value(match);
            int at = RowMapper.WriteSetCellHeader(destination, feature, timestampMicros, value.Length);
            value.CopyTo(destination[at..]);
            return at + value.Length;
        }

        return ReadsAsDelete(match, seen) ? RowMapper.WriteDelete(destination, feature, timestampMicros) : 0;
    }

    private FeatureCells CellsOf(Row row)
    {
        var cells = new FeatureCells();
        IReadOnlyList<FeaturePlan> features = mapper.Features;
        for (int f = 0; f < features.Count; f++)
        {
            foreach (Family family in row.Families.Where(family => family.Name == features[f].Family))
            {
                foreach (Column column in family.Columns.Where(column => column.Qualifier.Span.SequenceEqual(features[f].Qualifier)))
                {
                    foreach (Cell cell in column.Cells)
                    {
                        int start = cells.ValueBytes;
                        cells.AppendValue(cell.Value.Span);
                        cells.Add(f, cell.TimestampMicros, start);
                    }
                }
            }
        }

        return cells;
    }
}
