namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// The outstanding messages by partition and offset, under one lock: the pull loops add, the graph's completions and
/// the dead-letter paths remove, and the lease loop scans for deadlines coming due.
/// </summary>
internal sealed class LeaseTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, Lease>[] _byOffset;

    public LeaseTable(int partitions)
    {
        _byOffset = new Dictionary<long, Lease>[partitions];
        for (int i = 0; i < partitions; i++)
        {
            _byOffset[i] = [];
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                int count = 0;
                foreach (Dictionary<long, Lease> partition in _byOffset)
                {
                    count += partition.Count;
                }

                return count;
            }
        }
    }

    public void Add(Lease lease)
    {
        lock (_lock)
        {
            _byOffset[lease.Partition].Add(lease.Offset, lease);
        }
    }

    public Lease? Find(int partition, long offset)
    {
        lock (_lock)
        {
            return (uint)partition < (uint)_byOffset.Length ? _byOffset[partition].GetValueOrDefault(offset) : null;
        }
    }

    public Lease? Remove(int partition, long offset)
    {
        lock (_lock)
        {
            return (uint)partition < (uint)_byOffset.Length && _byOffset[partition].Remove(offset, out Lease? lease) ? lease : null;
        }
    }

    /// <summary>Removes the leases of offsets <c>[start, end)</c> of a partition that are still held, into <paramref name="removed"/>.</summary>
    public void RemoveRange(int partition, long start, long end, List<Lease> removed)
    {
        lock (_lock)
        {
            if ((uint)partition >= (uint)_byOffset.Length)
            {
                return;
            }

            Dictionary<long, Lease> leases = _byOffset[partition];
            for (long offset = start; offset < end; offset++)
            {
                if (leases.Remove(offset, out Lease? lease))
                {
                    removed.Add(lease);
                }
            }
        }
    }

    public List<Lease> RemoveAll()
    {
        lock (_lock)
        {
            var all = new List<Lease>();
            foreach (Dictionary<long, Lease> partition in _byOffset)
            {
                all.AddRange(partition.Values);
                partition.Clear();
            }

            return all;
        }
    }

    /// <summary>Changes leases under the lock (the change must not block).</summary>
    public void Update(Action change)
    {
        lock (_lock)
        {
            change();
        }
    }

    /// <summary>
    /// Visits every lease not yet expired, under the lock (the visitor must not block), and returns the earliest
    /// time the visitor asks to be called again.
    /// </summary>
    public DateTimeOffset Scan(Func<Lease, DateTimeOffset> visit, DateTimeOffset latest)
    {
        DateTimeOffset next = latest;
        lock (_lock)
        {
            foreach (Dictionary<long, Lease> partition in _byOffset)
            {
                foreach (Lease lease in partition.Values)
                {
                    if (!lease.Expired)
                    {
                        DateTimeOffset due = visit(lease);
                        if (due < next)
                        {
                            next = due;
                        }
                    }
                }
            }
        }

        return next;
    }
}
