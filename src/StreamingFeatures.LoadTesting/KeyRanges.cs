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
    private const int MaxRanges = 1_024;
    private readonly byte[][] _splits;
    private readonly RowKeyFormat _format;

    private KeyRanges(byte[][] splits, RowKeyFormat format, string source, double[]? weights = null)
    {
        _splits = splits;
        _format = format;
        Source = source;
        StartKeys = [string.Empty, .. splits.Select(s => RowKeyFormat.Display(s))];
        Weights = weights ?? [.. Enumerable.Repeat(1.0 / (splits.Length + 1), splits.Length + 1)];
    }

    /// <summary>Each range's share of the key space (they add up to 1): what an even load gives it.</summary>
    internal IReadOnlyList<double> Weights { get; }

    /// <summary>Where the ranges come from: <c>even</c> or <c>sampled</c>.</summary>
    public string Source { get; }

    public int Count => _splits.Length + 1;

    /// <summary>
    /// The busiest range's writes against what an even load would give it by its share of the key space (max/mean;
    /// 1 is even), 0 when nothing was written.
    /// </summary>
    internal double Skew(long[] writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        long total = 0;
        double max = 0;
        for (int r = 0; r < writes.Length; r++)
        {
            total += writes[r];
            max = Math.Max(max, writes[r] / Weights[r]);
        }

        return total == 0 ? 0 : max / total;
    }

    /// <summary>Each range's first key as text (the first range starts at the empty key).</summary>
    public IReadOnlyList<string> StartKeys { get; }

    /// <summary><paramref name="count"/> ranges holding equal shares of the key space the profile writes.</summary>
    public static KeyRanges Even(int count, long keySpace, RowKeyOptions rowKey)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keySpace, 1);
        var format = new RowKeyFormat(rowKey);
        if (format.HasBucketPrefix)
        {
            return Buckets(count, rowKey, format);
        }

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

    /// <summary>
    /// Bucketed keys sort by bucket first, and within a bucket by entity, so a split inside a bucket would cut a
    /// sequential writer's slice of every bucket unevenly: the ranges are whole groups of buckets instead, as many as
    /// asked (at most one per bucket), each weighted by its bucket count.
    /// </summary>
    private static KeyRanges Buckets(int count, RowKeyOptions rowKey, RowKeyFormat format)
    {
        int buckets = rowKey.Buckets;
        int ranges = Math.Min(count, buckets);
        int digits = Math.Max(1, (int)Math.Ceiling(Math.Log2(Math.Max(2, buckets)) / 4));
        var splits = new byte[ranges - 1][];
        double[] weights = new double[ranges];
        int previous = 0;
        for (int j = 1; j <= ranges; j++)
        {
            int bucket = (int)((long)j * buckets / ranges);
            weights[j - 1] = (double)(bucket - previous) / buckets;
            if (j < ranges)
            {
                splits[j - 1] = System.Text.Encoding.ASCII.GetBytes(bucket.ToString("x" + digits.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture));
            }

            previous = bucket;
        }

        return new KeyRanges(splits, format, "even", weights);
    }

    /// <summary>Ranges split at <paramref name="splitKeys"/> (e.g. SampleRowKeys' keys; empty keys are ignored).</summary>
    public static KeyRanges FromSplits(IEnumerable<byte[]> splitKeys, RowKeyOptions rowKey)
    {
        ArgumentNullException.ThrowIfNull(splitKeys);
        byte[][] splits = [.. splitKeys.Where(k => k.Length > 0).Distinct(ByteArrayComparer.Instance).Order(ByteArrayComparer.Instance)];
        if (splits.Length >= MaxRanges)
        {
            // A big table has thousands of tablets; a heatmap row per group of them reads better, and stays bounded.
            splits = [.. Enumerable.Range(1, MaxRanges - 1).Select(j => splits[(int)((long)j * splits.Length / MaxRanges)])];
        }

        return new KeyRanges(splits, new RowKeyFormat(rowKey), "sampled");
    }

    /// <summary>The range that holds <paramref name="rowKey"/>.</summary>
    internal int RangeOfKey(ReadOnlySpan<byte> rowKey)
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
    internal int RangeOfEntity(ReadOnlySpan<byte> entityUtf8)
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
