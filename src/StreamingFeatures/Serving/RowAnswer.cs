using Google.Cloud.Bigtable.V2;
using Google.Protobuf;

namespace StreamingFeatures.Serving;

/// <summary>
/// The features of one row read with <see cref="ReadFilter"/>, decided from the labels of its cells: a <c>v</c> cell
/// is PRESENT, else an <c>o</c> cell is OUTSIDE_MAX_AGE, else a nullable feature of a row that exists (any cell) is
/// NULL_VALUE, else NOT_FOUND.
/// </summary>
internal sealed class RowAnswer(IReadOnlyList<ServedFeature> features)
{
    private readonly Dictionary<(string Family, ByteString Qualifier), int> _columns =
        features.Select((f, i) => (f, i)).ToDictionary(x => (x.f.Family, x.f.Qualifier), x => x.i);

    // Whether a row's existence matters: only a nullable feature tells NULL_VALUE from NOT_FOUND by it.
    private readonly bool _anyNullable = features.Any(f => f.Nullable);

    /// <exception cref="InvalidDataException">A value cell cannot be of its feature's type (its length is wrong).</exception>
    public FeatureResult[] Decide(Row row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var results = new FeatureResult[features.Count];
        Span<bool> found = features.Count <= 256 ? stackalloc bool[features.Count] : new bool[features.Count];
        bool exists = false;
        foreach (Family family in row.Families)
        {
            foreach (Column column in family.Columns)
            {
                // A stale cell (o) is no evidence the entity exists within its max age.
                exists = exists || (_anyNullable && AnyFresh(column));
                if (!_columns.TryGetValue((family.Name, column.Qualifier), out int index))
                {
                    continue;
                }

                foreach (Cell cell in column.Cells)
                {
                    if (HasLabel(cell, ReadFilter.ValueLabel))
                    {
                        results[index] = Present(features[index], row.Key, cell);
                        found[index] = true;
                    }
                    else if (!found[index] && HasLabel(cell, ReadFilter.OutsideMaxAgeLabel))
                    {
                        results[index] = new FeatureResult(FeatureStatus.OutsideMaxAge, default, Time(cell.TimestampMicros));
                    }
                }
            }
        }

        for (int i = 0; i < results.Length; i++)
        {
            if (!found[i] && results[i].Status != FeatureStatus.OutsideMaxAge)
            {
                results[i] = exists && features[i].Nullable ? FeatureResult.NullValue : FeatureResult.NotFound;
            }
        }

        return results;
    }

    private static bool AnyFresh(Column column)
    {
        foreach (Cell cell in column.Cells)
        {
            if (!HasLabel(cell, ReadFilter.OutsideMaxAgeLabel))
            {
                return true;
            }
        }

        return false;
    }

    private static FeatureResult Present(ServedFeature feature, ByteString key, Cell cell) =>
        FeatureValue.TryDecode(feature.Type, cell.Value.Memory, out FeatureValue value)
            ? new FeatureResult(FeatureStatus.Present, value, Time(cell.TimestampMicros))
            : throw new InvalidDataException(
                $"Row '{key.ToStringUtf8()}' holds {cell.Value.Length} bytes in {feature.Family}:{feature.Qualifier.ToStringUtf8()}, which no {feature.Type} cell has (feature '{feature.Name}'): the table was written with another feature set.");

    private static bool HasLabel(Cell cell, string label)
    {
        for (int i = 0; i < cell.Labels.Count; i++)
        {
            if (cell.Labels[i] == label)
            {
                return true;
            }
        }

        return false;
    }

    private static DateTimeOffset Time(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
}
