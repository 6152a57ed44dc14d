namespace StreamingFeatures.Pipeline;

/// <summary>
/// A bounded budget of what is in flight, by count and by bytes, for the two places the engine holds work it has
/// taken on: the Pub/Sub source (messages received and not yet acked or nacked) and the Bigtable writer (bytes of
/// requests in flight, no count bound). Work is admitted only while both stay within their bounds, so a slow
/// consumer stops the producer instead of filling memory. One item larger than the byte bound is still admitted when
/// nothing else is in flight (else it could never be), as Google's clients do. Waiters are served in arrival order;
/// a cancelled waiter leaves the queue and holds nothing. It lives in Pipeline/ because it is the graph's
/// backpressure, shared by a source and a sink.
/// </summary>
internal sealed class FlowBudget(long maxMessages, long maxBytes)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _messages;
    private long _bytes;

    /// <summary>Items in flight (Pub/Sub messages, writer requests).</summary>
    public long Messages => Interlocked.Read(ref _messages);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>A budget of bytes alone, as the Bigtable writer bounds its requests in flight.</summary>
    public static FlowBudget ForBytes(long maxBytes) => new(long.MaxValue, maxBytes);

    /// <summary>Takes room for one item of <paramref name="bytes"/> if there is room now and nobody waits before.</summary>
    public bool TryAcquire(long bytes)
    {
        lock (_lock)
        {
            if (_waiters.Count > 0 || !Fits(bytes))
            {
                return false;
            }

            Take(bytes);
            return true;
        }
    }

    /// <summary>Waits until one item of <paramref name="bytes"/> fits, then takes its room.</summary>
    public Task AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (_waiters.Count == 0 && Fits(bytes))
            {
                Take(bytes);
                return Task.CompletedTask;
            }

            waiter = new Waiter(bytes);
            waiter.Node = _waiters.AddLast(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            // Registered outside the lock (an already cancelled token runs Cancel at once); kept under it, so a waiter
            // admitted or cancelled meanwhile never leaves its registration on a run-long token.
            CancellationTokenRegistration registration = cancellationToken.Register(() => Cancel(waiter, cancellationToken));
            bool settled;
            lock (_lock)
            {
                settled = waiter.Node is null;
                if (!settled)
                {
                    waiter.Registration = registration;
                }
            }

            if (settled)
            {
                registration.Dispose();
            }
        }

        return waiter.Done.Task;
    }

    /// <summary>Gives back the room of one item.</summary>
    public void Release(long bytes)
    {
        List<Waiter>? admitted;
        lock (_lock)
        {
            Interlocked.Decrement(ref _messages);
            Interlocked.Add(ref _bytes, -bytes);
            admitted = AdmitWaiters();
        }

        Complete(admitted);
    }

    /// <summary>Completed outside the lock, so a registration being disposed never waits on a callback that wants it.</summary>
    private static void Complete(List<Waiter>? admitted)
    {
        if (admitted is not null)
        {
            foreach (Waiter waiter in admitted)
            {
                waiter.Registration.Dispose();
                waiter.Done.TrySetResult();
            }
        }
    }

    /// <summary>Nothing in flight, or room for one more item of <paramref name="bytes"/>.</summary>
    private bool Fits(long bytes) =>
        (_messages == 0 && _bytes == 0) || (_messages + 1 <= maxMessages && _bytes + bytes <= maxBytes);

    private void Take(long bytes)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _bytes, bytes);
    }

    private List<Waiter>? AdmitWaiters()
    {
        List<Waiter>? admitted = null;
        while (_waiters.First is { } first && Fits(first.Value.Bytes))
        {
            _waiters.RemoveFirst();
            first.Value.Node = null;
            Take(first.Value.Bytes);
            (admitted ??= []).Add(first.Value);
        }

        return admitted;
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        List<Waiter>? admitted;
        lock (_lock)
        {
            if (waiter.Node is null)
            {
                return;
            }

            _waiters.Remove(waiter.Node);
            waiter.Node = null;

            // A cancelled waiter at the head must not hold back the ones behind it.
            admitted = AdmitWaiters();
        }

        waiter.Done.TrySetCanceled(cancellationToken);
        Complete(admitted);
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
