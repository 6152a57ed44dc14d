using System.Buffers;
using System.IO.Hashing;
using Google.Cloud.Bigtable.V2;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;

namespace StreamingFeatures.Verification;

/// <summary>
/// The digest of a row as read back: the entry the mapper would have encoded for the cells Bigtable holds at the
/// row's event timestamp. Equal to the write-side digest exactly when every cell landed intact.
/// </summary>
internal sealed class RowDigester(RowMapper mapper)
{
    public ulong Digest(Row row, long timestampMicros)
    {
        // One lookup per feature, kept for both passes; index loops, since RepeatedField's enumerator allocates.
        IReadOnlyList<FeaturePlan> features = mapper.Features;
        Cell?[] cells = ArrayPool<Cell?>.Shared.Rent(features.Count);
        bool[] olderOrEqual = ArrayPool<bool>.Shared.Rent(features.Count);
        byte[]? buffer = null;
        try
        {
            int size = ProtoWire.FieldSize(row.Key.Length);
            for (int f = 0; f < features.Count; f++)
            {
                FeaturePlan feature = features[f];
                Cell? cell = cells[f] = Find(row, feature, timestampMicros, out olderOrEqual[f]);
                if (cell is not null)
                {
                    size += RowMapper.MutationFieldSize(feature.SetCellSize(timestampMicros, cell.Value.Length));
                }
                else if (mapper.Nulls == NullHandling.DeleteColumn && !olderOrEqual[f])
                {
                    size += RowMapper.MutationFieldSize(feature.DeleteSize(timestampMicros));
                }
            }

            buffer = ArrayPool<byte>.Shared.Rent(size);
            Span<byte> body = buffer.AsSpan(0, size);
            int at = ProtoWire.WriteHeader(body, 1, row.Key.Length);
            row.Key.Span.CopyTo(body[at..]);
            at += row.Key.Length;
            for (int f = 0; f < features.Count; f++)
            {
                FeaturePlan feature = features[f];
                if (cells[f] is { } cell)
                {
                    at += RowMapper.WriteSetCellHeader(body[at..], feature, timestampMicros, cell.Value.Length);
                    cell.Value.Span.CopyTo(body[at..]);
                    at += cell.Value.Length;
                }
                else if (mapper.Nulls == NullHandling.DeleteColumn && !olderOrEqual[f])
                {
                    at += RowMapper.WriteDelete(body[at..], feature, timestampMicros);
                }
            }

            return XxHash3.HashToUInt64(body[..at]);
        }
        finally
        {
            ArrayPool<Cell?>.Shared.Return(cells, clearArray: true);
            ArrayPool<bool>.Shared.Return(olderOrEqual);
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The cell at exactly the event timestamp; also whether the column holds any cell a delete would have removed.</summary>
    private static Cell? Find(Row row, FeaturePlan feature, long timestampMicros, out bool olderOrEqualExists)
    {
        olderOrEqualExists = false;
        long deleteEnd = FeaturePlan.DeleteEnd(timestampMicros);
        for (int f = 0; f < row.Families.Count; f++)
        {
            Family family = row.Families[f];
            if (family.Name != feature.Family)
            {
                continue;
            }

            for (int c = 0; c < family.Columns.Count; c++)
            {
                Column column = family.Columns[c];
                if (!column.Qualifier.Span.SequenceEqual(feature.Qualifier))
                {
                    continue;
                }

                Cell? match = null;
                for (int i = 0; i < column.Cells.Count; i++)
                {
                    Cell cell = column.Cells[i];
                    if (cell.TimestampMicros == timestampMicros)
                    {
                        match = cell;
                    }

                    olderOrEqualExists |= cell.TimestampMicros < deleteEnd;
                }

                return match;
            }
        }

        return null;
    }
}
