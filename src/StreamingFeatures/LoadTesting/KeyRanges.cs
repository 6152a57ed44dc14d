using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.LoadTesting;

/// <summary>
/// The key ranges of the hotspot heatmap: range i holds the row keys from <see cref="StartKeys"/>[i] (inclusive) up
/// to the next start key, as a tablet does. Either the table's own split points (SampleRowKeys) or N even splits of
/// the keys the profile writes: quantiles of its key space under its row-key strategy, so a sequential writer shows
/// up as one hot range and a bucketed one as an even band.
/// </summary>
public sealed class KeyRanges
{
    private const int MaxKeyBytes = 256;
    private readonly byte[][] _splits;
    private readonly RowKeyFormat _format;

    private KeyRanges(byte[][] splits, RowKeyFormat format, string source)
    {
        _splits = splits;
        _format = format;
        Source = source;
        StartKeys = [string.Empty, .. splits.Select(s => RowKeyFormat.Display(s))];
    }

    /// <summary>Where the ranges come from: <c>even</c> or <c>sampled</c>.</summary>
    public string Source { get; }

    public int Count => _splits.Length + 1;

    /// <summary>Each range's first key as text (the first range starts at the empty key).</summary>
    public IReadOnlyList<string> StartKeys { get; }

    /// <summary><paramref name="count"/> ranges holding equal shares of the key space the profile writes.</summary>
    public static KeyRanges Even(int count, long keySpace, RowKeyOptions rowKey)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keySpace, 1);
        var format = new RowKeyFormat(rowKey);

        // Quantiles of evenly spaced entities: exact for small key spaces; beyond, 4,096 samples per range put each
        // split within about 2 % of its true place (hashing is uniform), so an even load shows a skew near 1.
        int samples = (int)Math.Min(keySpace, Math.Clamp(count * 4_096L, 4_096, 1 << 20));
        var keys = new byte[samples][];
        for (int i = 0; i < samples; i++)
        {
            long entity = (long)((double)i * keySpace / samples);
            keys[i] = format.ForEntity([SyntheticSource.EntityId(entity)]);
        }

        Array.Sort(keys, (a, b) => a.AsSpan().SequenceCompareTo(b));
        var splits = new List<byte[]>();
        for (int j = 1; j < count; j++)
        {
            byte[] split = keys[(int)((long)j * samples / count)];
            if (splits.Count == 0 || splits[^1].AsSpan().SequenceCompareTo(split) < 0)
            {
                splits.Add(split);
            }
        }

        return new KeyRanges([.. splits], format, "even");
    }

    /// <summary>Ranges split at <paramref name="splitKeys"/> (e.g. SampleRowKeys' keys; empty keys are ignored).</summary>
    public static KeyRanges FromSplits(IEnumerable<byte[]> splitKeys, RowKeyOptions rowKey)
    {
        ArgumentNullException.ThrowIfNull(splitKeys);
        byte[][] splits = [.. splitKeys.Where(k => k.Length > 0).Distinct(ByteArrayComparer.Instance).Order(ByteArrayComparer.Instance)];
        return new KeyRanges(splits, new RowKeyFormat(rowKey), "sampled");
    }

    /// <summary>The range that holds <paramref name="rowKey"/>.</summary>
    public int RangeOfKey(ReadOnlySpan<byte> rowKey)
    {
        // The number of split keys at or below the key.
        int low = 0;
        int high = _splits.Length;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (_splits[mid].AsSpan().SequenceCompareTo(rowKey) <= 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>The range of the row the pipeline writes for entity id <paramref name="entityUtf8"/>.</summary>
    public int RangeOfEntity(ReadOnlySpan<byte> entityUtf8)
    {
        Span<byte> escaped = stackalloc byte[MaxKeyBytes];
        Span<byte> key = stackalloc byte[MaxKeyBytes * 2];
        int length = _format.WriteEscaped(entityUtf8, escaped);
        int written = length < 0 ? -1 : _format.Write(escaped[..length], 0, key, out _);
        return written < 0 ? Count - 1 : RangeOfKey(key[..written]);
    }

    private sealed class ByteArrayComparer : IComparer<byte[]>, IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length == 0 ? 0 : HashCode.Combine(obj.Length, obj[0], obj[^1]);
    }
}
