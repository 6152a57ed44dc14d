using System.IO.Hashing;
using StreamingFeatures.Keys;

namespace StreamingFeatures.Verification;

/// <summary>
/// A table's row keys cut into ranges at split points (Bigtable's SampleRowKeys): range i runs from split i - 1
/// (the table's start for the first) up to split i, excluded (the table's end for the last). A comparison keeps
/// its figures per range, so a difference is named by where it is and only that range is checked again exactly.
/// </summary>
internal sealed class KeyRanges
{
    private readonly byte[][] _splits;

    /// <param name="splits">Split points in any order; empty and repeated ones are dropped.</param>
    public KeyRanges(IEnumerable<byte[]> splits)
    {
        ArgumentNullException.ThrowIfNull(splits);
        var sorted = splits.Where(s => s.Length > 0).ToList();
        sorted.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        _splits = [.. sorted.Where((s, i) => i == 0 || !s.AsSpan().SequenceEqual(sorted[i - 1]))];
    }

    public int Count => _splits.Length + 1;

    /// <summary>The first key of range <paramref name="range"/>; null for the table's start.</summary>
    public byte[]? Start(int range) => range == 0 ? null : _splits[range - 1];

    /// <summary>The key range <paramref name="range"/> ends before; null for the table's end.</summary>
    public byte[]? End(int range) => range == _splits.Length ? null : _splits[range];

    /// <summary>The range holding <paramref name="key"/>.</summary>
    public int IndexOf(ReadOnlySpan<byte> key)
    {
        int low = 0;
        int high = _splits.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_splits[middle].AsSpan().SequenceCompareTo(key) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>For reports: <c>[start, end)</c> with the table's ends named.</summary>
    public string Describe(int range) =>
        $"[{(Start(range) is { } start ? RowKeyFormat.Display(start) : "(table start)")}, {(End(range) is { } end ? RowKeyFormat.Display(end) : "(table end)")})";

    /// <summary>The hash both sides of a comparison sum per range: equal key sets give equal sums, in any order.</summary>
    public static ulong KeyHash(ReadOnlySpan<byte> key) => XxHash3.HashToUInt64(key);
}
