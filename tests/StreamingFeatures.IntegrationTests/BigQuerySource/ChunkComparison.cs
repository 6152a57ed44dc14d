using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.IntegrationTests.BigQuerySource;

/// <summary>
/// Compares what two reads handed on, row by row at (partition, offset), whatever the chunk boundaries: types, nulls
/// and exact values (doubles bit for bit, bytes byte for byte, decimals unscaled with their scale).
/// </summary>
internal static class ChunkComparison
{
    /// <summary>
    /// Every row of <paramref name="expected"/> (less those below <paramref name="skipBefore"/>: partition → offset) is
    /// in <paramref name="actual"/> once with the same values, and both hold <paramref name="rows"/> rows.
    /// </summary>
    public static void AssertSameRows(IEnumerable<SourceChunk> expected, IEnumerable<SourceChunk> actual, int rows, IReadOnlyDictionary<int, long>? skipBefore = null)
    {
        Dictionary<(int, long), (SourceChunk Chunk, int Row)> want = Index(expected, skipBefore);
        Dictionary<(int, long), (SourceChunk Chunk, int Row)> got = Index(actual, null);
        Assert.HasCount(rows, want, "rows expected");
        Assert.HasCount(rows, got, "rows handed on");
        foreach (((int partition, long offset), (SourceChunk chunk, int row)) in want)
        {
            Assert.IsTrue(got.TryGetValue((partition, offset), out var other), $"partition {partition} offset {offset} missing");
            Assert.HasCount(chunk.Columns.Count, other.Chunk.Columns);
            for (int c = 0; c < chunk.Columns.Count; c++)
            {
                AssertSameValue(chunk.Columns[c], row, other.Chunk.Columns[c], other.Row, $"partition {partition} offset {offset} column {c}");
            }
        }
    }

    private static Dictionary<(int, long), (SourceChunk, int)> Index(IEnumerable<SourceChunk> chunks, IReadOnlyDictionary<int, long>? skipBefore)
    {
        var index = new Dictionary<(int, long), (SourceChunk, int)>();
        foreach (SourceChunk chunk in chunks)
        {
            for (int r = 0; r < chunk.RowCount; r++)
            {
                long offset = chunk.FirstOffset + r;
                if (offset >= (skipBefore?.GetValueOrDefault(chunk.Partition) ?? 0))
                {
                    Assert.IsTrue(index.TryAdd((chunk.Partition, offset), (chunk, r)), $"partition {chunk.Partition} offset {offset} handed on twice");
                }
            }
        }

        return index;
    }

    private static void AssertSameValue(ColumnVector expected, int e, ColumnVector actual, int a, string where)
    {
        Assert.AreEqual(expected.Type, actual.Type, where);
        Assert.AreEqual(expected.IsNull(e), actual.IsNull(a), where);
        if (expected.IsNull(e))
        {
            return;
        }

        switch (expected)
        {
            case Int64Column longs:
                Assert.AreEqual(longs.Values[e], ((Int64Column)actual).Values[a], where);
                break;
            case Float64Column doubles:
                Assert.AreEqual(BitConverter.DoubleToInt64Bits(doubles.Values[e]), BitConverter.DoubleToInt64Bits(((Float64Column)actual).Values[a]), where);
                break;
            case BoolColumn bools:
                Assert.AreEqual(bools.Values[e], ((BoolColumn)actual).Values[a], where);
                break;
            case BinaryColumn binary:
                CollectionAssert.AreEqual(binary.Get(e).ToArray(), ((BinaryColumn)actual).Get(a).ToArray(), where);
                break;
            case NumericColumn numbers:
                var other = (NumericColumn)actual;
                Assert.AreEqual(numbers.Scale, other.Scale, where);
                Assert.AreEqual(numbers.Values[e], other.Values[a], where);
                break;
            default:
                Assert.Fail($"{where}: no comparison for {expected.GetType().Name}");
                break;
        }
    }
}
