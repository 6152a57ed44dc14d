namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// Client-side flow control shared by every stream: messages and data bytes received and not yet acked or nacked.
/// A message is admitted only while both stay within their bounds, so a slow graph stops the pulling instead of
/// filling memory. One message larger than the byte bound is still admitted when nothing else is outstanding
/// (else it could never be), as Google's clients do. Waiters are served in arrival order.
/// </summary>
internal sealed class FlowBudget(long maxMessages, long maxBytes)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _messages;
    private long _bytes;

    public long Messages => Interlocked.Read(ref _messages);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Takes room for one message of <paramref name="bytes"/> if there is room now and nobody waits before.</summary>
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

    /// <summary>Waits until one message of <paramref name="bytes"/> fits, then takes its room.</summary>
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
            waiter.Registration = cancellationToken.Register(() => Cancel(waiter, cancellationToken));
        }

        return waiter.Done.Task;
    }

    /// <summary>Gives back the room of one message.</summary>
    public void Release(long bytes)
    {
        List<Waiter>? admitted = null;
        lock (_lock)
        {
            Interlocked.Decrement(ref _messages);
            Interlocked.Add(ref _bytes, -bytes);
            while (_waiters.First is { } first && Fits(first.Value.Bytes))
            {
                _waiters.RemoveFirst();
                first.Value.Node = null;
                Take(first.Value.Bytes);
                (admitted ??= []).Add(first.Value);
            }
        }

        // Completed outside the lock, so a registration being disposed never waits on a callback that wants it.
        if (admitted is not null)
        {
            foreach (Waiter waiter in admitted)
            {
                waiter.Registration.Dispose();
                waiter.Done.TrySetResult();
            }
        }
    }

    private bool Fits(long bytes) =>
        _messages == 0 || (_messages + 1 <= maxMessages && _bytes + bytes <= maxBytes);

    private void Take(long bytes)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _bytes, bytes);
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (waiter.Node is null)
            {
                return;
            }

            _waiters.Remove(waiter.Node);
            waiter.Node = null;
        }

        waiter.Done.TrySetCanceled(cancellationToken);
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
