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
internal sealed class RowDigester(RowMapper mapper)
{
    // What a feature's column holds besides the cell at the event timestamp.
    private const byte OlderOrEqual = 1;
    private const byte Newer = 2;

    public IReadOnlyList<FeaturePlan> Features => mapper.Features;

    /// <summary>The digest of a merged row (tests, diagnostics); the read-back itself uses <see cref="ReadRowsDigester"/>.</summary>
    public ulong Digest(Row row, long timestampMicros) => Digest(row, timestampMicros, out _);

    /// <summary>As <see cref="Digest(Row, long)"/>, and whether a newer event superseded a feature of the row.</summary>
    public ulong Digest(Row row, long timestampMicros, out bool superseded)
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

        return Digest(row.Key.Span, cells, timestampMicros, out superseded);
    }

    /// <summary>
    /// The digest of row <paramref name="key"/> from its feature cells: per feature, the cell at exactly the event
    /// timestamp (the last such when there are several); with deleted nulls, a feature without one counts as a delete
    /// unless the column still holds a cell the delete would have removed.
    /// </summary>
    public ulong Digest(ReadOnlySpan<byte> key, FeatureCells cells, long timestampMicros) => Digest(key, cells, timestampMicros, out _);

    /// <summary>
    /// As <see cref="Digest(ReadOnlySpan{byte}, FeatureCells, long)"/>; <paramref name="superseded"/> tells whether a
    /// feature lacks its cell at the event timestamp while the column holds a newer one. A later event (the live
    /// stream during a cutover) wrote that cell, and a family's max-versions or max-age rule may then collect this
    /// row's cell: the newest event wins, so a digest that differs for that reason is no difference from the source.
    /// </summary>
    public ulong Digest(ReadOnlySpan<byte> key, FeatureCells cells, long timestampMicros, out bool superseded)
    {
        IReadOnlyList<FeaturePlan> features = mapper.Features;
        int[] match = ArrayPool<int>.Shared.Rent(features.Count);
        byte[] seen = ArrayPool<byte>.Shared.Rent(features.Count);
        byte[]? buffer = null;
        try
        {
            match.AsSpan(0, features.Count).Fill(-1);
            seen.AsSpan(0, features.Count).Clear();
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

            superseded = false;
            bool deletes = mapper.Nulls == NullHandling.DeleteColumn;
            int size = ProtoWire.FieldSize(key.Length);
            for (int f = 0; f < features.Count; f++)
            {
                if (match[f] >= 0)
                {
                    size += RowMapper.MutationFieldSize(features[f].SetCellSize(timestampMicros, cells.Value(match[f]).Length));
                }
                else if (deletes && (seen[f] & OlderOrEqual) == 0)
                {
                    size += RowMapper.MutationFieldSize(features[f].DeleteSize(timestampMicros));
                }

                superseded |= match[f] < 0 && (seen[f] & Newer) != 0;
            }

            buffer = ArrayPool<byte>.Shared.Rent(size);
            Span<byte> body = buffer.AsSpan(0, size);
            int at = ProtoWire.WriteHeader(body, 1, key.Length);
            key.CopyTo(body[at..]);
            at += key.Length;
            for (int f = 0; f < features.Count; f++)
            {
                if (match[f] >= 0)
                {
                    ReadOnlySpan<byte> value = cells.Value(match[f]);
                    at += RowMapper.WriteSetCellHeader(body[at..], features[f], timestampMicros, value.Length);
                    value.CopyTo(body[at..]);
                    at += value.Length;
                }
                else if (deletes && (seen[f] & OlderOrEqual) == 0)
                {
                    at += RowMapper.WriteDelete(body[at..], features[f], timestampMicros);
                }
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
}
