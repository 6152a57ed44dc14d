namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>Injected faults and how many more calls each may fail; thread-safe.</summary>
internal sealed class FaultRegistry
{
    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];

    public void Add(BigQueryReadFault fault)
    {
        fault.Validate();
        lock (_gate)
        {
            _entries.Add(new Entry(fault) { Remaining = fault.Times });
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    /// <summary>Uses up one call of the first matching RESOURCE_EXHAUSTED fault, if any.</summary>
    public BigQueryReadFault? TakeRefusal(string table, int stream) => Take(table, stream, refusal: true, afterRows: null);

    /// <summary>The first matching break fault with calls left, without using it up.</summary>
    public BigQueryReadFault? PeekBreak(string table, int stream)
    {
        lock (_gate)
        {
            return Find(table, stream, refusal: false, afterRows: null)?.Fault;
        }
    }

    /// <summary>Uses up one call of the break fault that breaks after <paramref name="afterRows"/> rows, if still left.</summary>
    public BigQueryReadFault? TakeBreak(string table, int stream, long afterRows) => Take(table, stream, refusal: false, afterRows);

    private BigQueryReadFault? Take(string table, int stream, bool refusal, long? afterRows)
    {
        lock (_gate)
        {
            Entry? entry = Find(table, stream, refusal, afterRows);
            if (entry is null)
            {
                return null;
            }

            entry.Remaining--;
            return entry.Fault;
        }
    }

    private Entry? Find(string table, int stream, bool refusal, long? afterRows)
    {
        foreach (Entry entry in _entries)
        {
            BigQueryReadFault fault = entry.Fault;
            if (entry.Remaining > 0
                && (fault.Kind == BigQueryFaultKind.ResourceExhausted) == refusal
                && (fault.Table is null || string.Equals(fault.Table, table, StringComparison.Ordinal))
                && (fault.Stream is null || fault.Stream == stream)
                && (afterRows is null || fault.AfterRows == afterRows))
            {
                return entry;
            }
        }

        return null;
    }

    private sealed class Entry(BigQueryReadFault fault)
    {
        public BigQueryReadFault Fault { get; } = fault;

        public int Remaining { get; set; }
    }
}
