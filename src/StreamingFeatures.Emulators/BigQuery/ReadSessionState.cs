using System.Collections.Concurrent;
using Apache.Arrow;
using Google.Cloud.BigQuery.Storage.V1;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>A read session the emulator created: its table, projection, filter, expiry and streams.</summary>
internal sealed class ReadSessionState(
    string name,
    EmulatorTable table,
    Schema schema,
    int[] columns,
    RowFilter? filter,
    DateTimeOffset expireTime,
    ReadSession response)
{
    private readonly ConcurrentDictionary<int, StreamRange> _streams = new();

    // Rows sent per stream, counted again when a client reads a range twice: what the session cost.
    private readonly ConcurrentDictionary<int, long> _served = new();
    private int _lastStream = -1;

    public string Name { get; } = name;

    public EmulatorTable Table { get; } = table;

    /// <summary>The session's Arrow schema: the selected fields, in table order.</summary>
    public Schema Schema { get; } = schema;

    /// <summary>The table ordinals of <see cref="Schema"/>'s fields.</summary>
    public int[] Columns { get; } = columns;

    public RowFilter? Filter { get; } = filter;

    public DateTimeOffset ExpireTime { get; } = expireTime;

    /// <summary>What CreateReadSession answered, with the initial streams.</summary>
    public ReadSession Response { get; } = response;

    /// <summary>Registers a stream over table rows <c>[start, end)</c> under the next stream number.</summary>
    public StreamRange AddStream(long start, long end)
    {
        int number = Interlocked.Increment(ref _lastStream);
        var stream = new StreamRange(this, number, start, end);
        _streams[number] = stream;
        return stream;
    }

    public StreamRange? Stream(int number) => _streams.GetValueOrDefault(number);

    /// <summary>Counts rows ReadRows sent on stream <paramref name="number"/>.</summary>
    public void CountServed(int number, long rows) => _served.AddOrUpdate(number, rows, (_, sent) => sent + rows);

    /// <summary>Rows sent so far, by stream number (streams never read are absent).</summary>
    public SessionRowsServed Served() => new(Name, Table.Name, new SortedDictionary<int, long>(_served));
}
