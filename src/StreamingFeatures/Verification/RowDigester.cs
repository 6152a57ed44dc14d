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
        int size = ProtoWire.FieldSize(row.Key.Length);
        foreach (FeaturePlan feature in mapper.Features)
        {
            Cell? cell = Find(row, feature, timestampMicros, out bool olderOrEqualExists);
            if (cell is not null)
            {
                size += RowMapper.MutationFieldSize(feature.SetCellSize(timestampMicros, cell.Value.Length));
            }
            else if (mapper.Nulls == NullHandling.DeleteColumn && !olderOrEqualExists)
            {
                size += RowMapper.MutationFieldSize(feature.DeleteSize(timestampMicros));
            }
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            Span<byte> body = buffer.AsSpan(0, size);
            int at = ProtoWire.WriteHeader(body, 1, row.Key.Length);
            row.Key.Span.CopyTo(body[at..]);
            at += row.Key.Length;
            foreach (FeaturePlan feature in mapper.Features)
            {
                Cell? cell = Find(row, feature, timestampMicros, out bool olderOrEqualExists);
                if (cell is not null)
                {
                    at += RowMapper.WriteSetCellHeader(body[at..], feature, timestampMicros, cell.Value.Length);
                    cell.Value.Span.CopyTo(body[at..]);
                    at += cell.Value.Length;
                }
                else if (mapper.Nulls == NullHandling.DeleteColumn && !olderOrEqualExists)
                {
                    at += RowMapper.WriteDelete(body[at..], feature, timestampMicros);
                }
            }

            return XxHash3.HashToUInt64(body[..at]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The cell at exactly the event timestamp; also whether the column holds any cell a delete would have removed.</summary>
    private static Cell? Find(Row row, FeaturePlan feature, long timestampMicros, out bool olderOrEqualExists)
    {
        olderOrEqualExists = false;
        long deleteEnd = FeaturePlan.DeleteEnd(timestampMicros);
        foreach (Family family in row.Families)
        {
            if (family.Name != feature.Family)
            {
                continue;
            }

            foreach (Column column in family.Columns)
            {
                if (!column.Qualifier.Span.SequenceEqual(feature.Qualifier))
                {
                    continue;
                }

                Cell? match = null;
                foreach (Cell cell in column.Cells)
                {
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
