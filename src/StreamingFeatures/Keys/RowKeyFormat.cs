using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Keys;

/// <summary>
/// Builds row keys <c>[bucket#]entity[#reversed-time]</c>. The bucket is XxHash64 of the (escaped) entity key
/// modulo the bucket count, in fixed-width lowercase hex: stable across runs, processes and machines, so the
/// serving side recomputes a key from an entity id alone. Composite entity keys join their fields with the
/// delimiter; a delimiter or backslash inside a field is escaped with a backslash.
/// </summary>
public sealed class RowKeyFormat
{
    /// <summary>Bigtable's limit on a row key.</summary>
    public const int MaxKeyBytes = 4096;

    private const byte Escape = (byte)'\\';
    private const int ReversedTimeDigits = 19;

    private readonly bool _bucketPrefix;
    private readonly int _buckets;
    private readonly int _bucketDigits;
    private readonly byte _delimiter;
    private readonly bool _reversedTime;

    public RowKeyFormat(RowKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bucketPrefix = options.BucketPrefix;
        _buckets = options.Buckets;
        _bucketDigits = Math.Max(1, (int)Math.Ceiling(Math.Log2(Math.Max(2, options.Buckets)) / 4));
        _delimiter = (byte)options.Delimiter[0];
        _reversedTime = options.ReversedTimeSuffix;
    }

    public bool HasBucketPrefix => _bucketPrefix;

    public bool HasReversedTime => _reversedTime;

    /// <summary>Most bytes the fixed parts (bucket, delimiters, suffix) add to the entity.</summary>
    public int Overhead => (_bucketPrefix ? _bucketDigits + 1 : 0) + (_reversedTime ? ReversedTimeDigits + 1 : 0);

    /// <summary>The bucket of an escaped entity key (0 when bucket prefixes are off).</summary>
    public int BucketOf(ReadOnlySpan<byte> escapedEntity) =>
        _bucketPrefix ? (int)(XxHash64.HashToUInt64(escapedEntity) % (ulong)_buckets) : 0;

    /// <summary>
    /// Appends <paramref name="field"/> to <paramref name="destination"/> with delimiter and backslash escaped.
    /// Returns the bytes written, or -1 when <paramref name="destination"/> is too small.
    /// </summary>
    public int WriteEscaped(ReadOnlySpan<byte> field, Span<byte> destination)
    {
        int written = 0;
        foreach (byte b in field)
        {
            if (b == _delimiter || b == Escape)
            {
                if (written >= destination.Length)
                {
                    return -1;
                }

                destination[written++] = Escape;
            }

            if (written >= destination.Length)
            {
                return -1;
            }

            destination[written++] = b;
        }

        return written;
    }

    /// <summary>Writes the delimiter between composite key fields.</summary>
    public byte Delimiter => _delimiter;

    /// <summary>
    /// Writes the whole key around an already escaped entity. Returns the key length, or -1 when it would pass
    /// <paramref name="destination"/>'s length.
    /// </summary>
    public int Write(ReadOnlySpan<byte> escapedEntity, long eventTimeMicros, Span<byte> destination, out int bucket)
    {
        bucket = BucketOf(escapedEntity);
        int length = escapedEntity.Length + Overhead;
        if (length > destination.Length)
        {
            return -1;
        }

        int position = 0;
        if (_bucketPrefix)
        {
            for (int digit = _bucketDigits - 1; digit >= 0; digit--)
            {
                destination[position++] = (byte)"0123456789abcdef"[(bucket >> (digit * 4)) & 0xF];
            }

            destination[position++] = _delimiter;
        }

        escapedEntity.CopyTo(destination[position..]);
        position += escapedEntity.Length;
        if (_reversedTime)
        {
            destination[position++] = _delimiter;
            long reversed = long.MaxValue - (eventTimeMicros / 1000);
            Utf8Formatter.TryFormat(reversed, destination.Slice(position, ReversedTimeDigits), out _, new StandardFormat('D', ReversedTimeDigits));
            position += ReversedTimeDigits;
        }

        return position;
    }

    /// <summary>
    /// The row key of an entity, for point lookups on the serving side: the same bytes the pipeline writes.
    /// <paramref name="entityKeyParts"/> are the entity key column values in feature-set order.
    /// </summary>
    public byte[] ForEntity(IReadOnlyList<string> entityKeyParts, DateTimeOffset? eventTime = null)
    {
        ArgumentNullException.ThrowIfNull(entityKeyParts);
        if (entityKeyParts.Count == 0)
        {
            throw new ArgumentException("An entity key needs at least one part.", nameof(entityKeyParts));
        }

        if (_reversedTime && eventTime is null)
        {
            throw new ArgumentException("This key format ends in reversed time: give the event time.", nameof(eventTime));
        }

        int rawLength = entityKeyParts.Sum(part => Encoding.UTF8.GetByteCount(part));
        byte[] entity = new byte[(2 * rawLength) + entityKeyParts.Count];
        int length = 0;
        for (int i = 0; i < entityKeyParts.Count; i++)
        {
            if (i > 0)
            {
                entity[length++] = _delimiter;
            }

            length += WriteEscaped(Encoding.UTF8.GetBytes(entityKeyParts[i]), entity.AsSpan(length));
        }

        byte[] key = new byte[length + Overhead];
        int keyLength = Write(entity.AsSpan(0, length), eventTime is { } t ? CellEncoding.ToUnixMicros(t) : 0, key, out _);
        return key.AsSpan(0, keyLength).ToArray();
    }

    /// <summary>The row key as a string, for logs and reports (keys are UTF-8 by construction).</summary>
    public static string Display(ReadOnlySpan<byte> key) => Encoding.UTF8.GetString(key);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"buckets={(_bucketPrefix ? _buckets : 0)} delimiter={(char)_delimiter} reversedTime={(_reversedTime ? "true" : "false")}");
}
