using System.Buffers.Text;
using System.Globalization;
using System.Threading.Tasks.Dataflow;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.Synthetic;

/// <summary>
/// A deterministic feature table: row i always has the same entity, event time and values for the same options,
/// whatever the partitioning, so tests, benchmarks and load profiles can recompute what they wrote.
/// Columns: <c>entity_id</c> (string <c>user-0000000042</c>), <c>event_time</c>, <c>f0</c>…<c>fN</c>. Any range of rows
/// can also be read directly (<see cref="Read"/>), which the BigQuery Storage emulator uses to serve the table on demand.
/// </summary>
public sealed class SyntheticSource : IRandomAccessRowSource
{
    public const string EntityColumn = "entity_id";
    public const string EventTimeColumn = "event_time";
    public const string Family = "f";
    private const int EntityDigits = 10;
    private static readonly byte[] EntityPrefix = "user-"u8.ToArray();

    private readonly SyntheticSourceOptions _options;
    private readonly ColumnType[] _types;
    private readonly long _startMicros;
    private readonly ZipfSampler? _zipf;

    public SyntheticSource(SyntheticSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _types = [.. Enumerable.Range(0, options.Features).Select(TypeOf)];
        _startMicros = CellEncoding.ToUnixMicros(options.StartTime);
        _zipf = options.Keys == KeyDistribution.Zipf ? new ZipfSampler(options.EffectiveKeySpace, options.ZipfExponent) : null;
        Schema = new SourceSchema(
        [
            new SourceField(EntityColumn, ColumnType.String, Nullable: false),
            new SourceField(EventTimeColumn, ColumnType.Timestamp, Nullable: false),
            .. _types.Select((type, i) => new SourceField(FeatureName(i), type, Nullable: false)),
        ]);
    }

    public SourceSchema Schema { get; }

    public string Description => string.Create(CultureInfo.InvariantCulture, $"synthetic({_options.Rows} rows, {_options.Features} features, {_options.Keys} keys, seed {_options.Seed})");

    public long? ExpectedRows => _options.Rows;

    public long RowCount => _options.Rows;

    public static string FeatureName(int index) => string.Create(CultureInfo.InvariantCulture, $"f{index}");

    /// <summary>The entity id of entity number <paramref name="entity"/>, as the source writes it.</summary>
    public static string EntityId(long entity) => string.Create(CultureInfo.InvariantCulture, $"user-{entity:D10}");

    /// <summary>A feature set that maps this source one to one into family <c>f</c> of <paramref name="table"/>.</summary>
    public FeatureSetOptions FeatureSet(string table, RowKeyOptions? rowKey = null) => new()
    {
        Table = table,
        EntityKey = [EntityColumn],
        EventTime = EventTimeColumn,
        Families = { [Family] = new ColumnFamilyOptions { MaxVersions = 1 } },
        Features = [.. _types.Select((type, i) => new FeatureOptions { Name = FeatureName(i), Family = Family, Type = ToFeatureType(type) })],
        RowKey = rowKey ?? new RowKeyOptions(),
    };

    /// <summary>Offsets are row numbers across the whole table: partition p starts at row rows × p / partitions.</summary>
    public long FirstOffset(int partition) => _options.Rows * partition / _options.Partitions;

    public Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        long rows = _options.Rows;
        int partitions = _options.Partitions;
        return Task.WhenAll(Enumerable.Range(0, partitions).Select(p =>
            Task.Run(() => RunPartitionAsync(p, rows * p / partitions, rows * (p + 1) / partitions, target, cancellationToken), cancellationToken)));
    }

    /// <summary>
    /// Rows <c>[firstRow, firstRow + count)</c> with exactly the values <see cref="RunAsync"/> sends for them; the
    /// chunk's partition is the one <see cref="RunAsync"/> gives <paramref name="firstRow"/>.
    /// </summary>
    public SourceChunk Read(long firstRow, int count)
    {
        long rows = _options.Rows;
        if (firstRow < 0 || count < 0 || firstRow > rows - count)
        {
            throw new ArgumentOutOfRangeException(nameof(firstRow), firstRow, $"Rows [{firstRow}, {firstRow} + {count}) are outside the source's {rows} rows.");
        }

        return Generate(PartitionOf(firstRow), firstRow, count);
    }

    /// <summary>Row <paramref name="row"/>'s entity number.</summary>
    public long EntityOf(long row)
    {
        long space = _options.EffectiveKeySpace;
        if (_options.HotKeyShare > 0 && (Mix(row, -3) >> 11) * (1.0 / (1UL << 53)) < _options.HotKeyShare)
        {
            return (long)(Mix(row, -4) % (ulong)_options.HotKeys);
        }

        return _options.Keys switch
        {
            KeyDistribution.Sequential => row % space,
            KeyDistribution.Uniform => (long)(Mix(row, -1) % (ulong)space),
            _ => ZipfEntity(row),
        };
    }

    /// <summary>Row <paramref name="row"/>'s value of int64 feature <paramref name="feature"/>.</summary>
    public long Int64Value(long row, int feature) => (long)Mix(row, feature);

    /// <summary>Row <paramref name="row"/>'s event time in microseconds.</summary>
    public long EventTimeMicros(long row) => _startMicros + (row * 1000);

    /// <summary>The partition whose range <c>[rows * p / partitions, rows * (p + 1) / partitions)</c> holds <paramref name="row"/>.</summary>
    private int PartitionOf(long row)
    {
        long rows = _options.Rows;
        int partitions = _options.Partitions;
        if (rows == 0)
        {
            return 0;
        }

        // The estimate is at most one off either way because of the integer division; step to the exact range.
        int p = (int)Math.Min(partitions - 1, (long)((double)row * partitions / rows));
        while (p > 0 && rows * p / partitions > row)
        {
            p--;
        }

        while (p < partitions - 1 && rows * (p + 1) / partitions <= row)
        {
            p++;
        }

        return p;
    }

    private async Task RunPartitionAsync(int partition, long start, long end, ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        for (long first = start; first < end; first += _options.ChunkRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = (int)Math.Min(_options.ChunkRows, end - first);
            SourceChunk chunk = Generate(partition, first, count);
            if (!await target.SendAsync(chunk, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private SourceChunk Generate(int partition, long first, int count)
    {
        var columns = new ColumnVector[2 + _types.Length];
        byte[] entityData = new byte[count * (EntityPrefix.Length + EntityDigits)];
        int[] entityOffsets = new int[count + 1];
        long[] times = new long[count];
        for (int r = 0; r < count; r++)
        {
            long row = first + r;
            int at = entityOffsets[r];
            EntityPrefix.CopyTo(entityData, at);
            Utf8Formatter.TryFormat(EntityOf(row), entityData.AsSpan(at + EntityPrefix.Length, EntityDigits), out int written, new System.Buffers.StandardFormat('D', EntityDigits));
            entityOffsets[r + 1] = at + EntityPrefix.Length + written;
            times[r] = EventTimeMicros(row);
        }

        columns[0] = new BinaryColumn(entityData, entityOffsets, count);
        columns[1] = new Int64Column(times, count, type: ColumnType.Timestamp);
        for (int f = 0; f < _types.Length; f++)
        {
            columns[2 + f] = GenerateFeature(f, first, count);
        }

        return new SourceChunk(partition, first, count, columns);
    }

    private ColumnVector GenerateFeature(int feature, long first, int count)
    {
        switch (_types[feature])
        {
            case ColumnType.Int64:
                long[] longs = new long[count];
                for (int r = 0; r < count; r++)
                {
                    longs[r] = Int64Value(first + r, feature);
                }

                return new Int64Column(longs, count);
            case ColumnType.Float64:
                double[] doubles = new double[count];
                for (int r = 0; r < count; r++)
                {
                    doubles[r] = (Mix(first + r, feature) >> 11) * (1.0 / (1UL << 53)) * 1000;
                }

                return new Float64Column(doubles, count);
            case ColumnType.Bool:
                bool[] bools = new bool[count];
                for (int r = 0; r < count; r++)
                {
                    bools[r] = (Mix(first + r, feature) & 1) == 1;
                }

                return new BoolColumn(bools, count);
            default:
                int size = _options.ValueBytes;
                byte[] data = new byte[count * size];
                int[] offsets = new int[count + 1];
                for (int r = 0; r < count; r++)
                {
                    ulong mix = Mix(first + r, feature);
                    for (int b = 0; b < size; b++)
                    {
                        data[(r * size) + b] = (byte)('a' + ((mix >> ((b % 8) * 8)) % 26));
                    }

                    offsets[r + 1] = (r + 1) * size;
                }

                return new BinaryColumn(data, offsets, count);
        }
    }

    private long ZipfEntity(long row)
    {
        ulong state = Mix(row, -2);
        return _zipf!.Sample(() =>
        {
            state = SplitMix(state);
            return (state >> 11) * (1.0 / (1UL << 53));
        }) - 1;
    }

    private ulong Mix(long row, int feature) => SplitMix(((ulong)row * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)feature << 32) ^ (ulong)(uint)_options.Seed);

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private ColumnType TypeOf(int feature) => _options.ValueBytes == 0
        ? ColumnType.Int64
        : (feature % 4) switch
        {
            0 => ColumnType.Int64,
            1 => ColumnType.Float64,
            2 => ColumnType.Bool,
            _ => ColumnType.String,
        };

    private static FeatureType ToFeatureType(ColumnType type) => type switch
    {
        ColumnType.Int64 => FeatureType.Int64,
        ColumnType.Float64 => FeatureType.Float64,
        ColumnType.Bool => FeatureType.Bool,
        _ => FeatureType.String,
    };
}
