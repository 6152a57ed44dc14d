namespace StreamingFeatures.Bigtable;

/// <summary>
/// Bounds the bytes of requests in flight. Waiters are served in order; a request larger than the whole budget
/// passes alone, when nothing else is in flight, so it cannot wait forever.
/// </summary>
internal sealed class ByteBudget(long capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<(long Bytes, TaskCompletionSource Ready)> _waiters = new();
    private long _inFlight;

    public long InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    public async ValueTask AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        TaskCompletionSource ready;
        lock (_gate)
        {
            if (_waiters.Count == 0 && Fits(bytes))
            {
                _inFlight += bytes;
                return;
            }

            ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue((bytes, ready));
        }

        try
        {
            await ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                // Granted in the meantime: give it back, or it leaks from the budget.
                if (ready.Task.IsCompletedSuccessfully)
                {
                    _inFlight -= bytes;
                    Grant();
                }
                else
                {
                    // A cancelled waiter at the head must not hold back the ones behind it.
                    ready.TrySetCanceled(cancellationToken);
                    Grant();
                }
            }

            throw;
        }
    }

    public void Release(long bytes)
    {
        lock (_gate)
        {
            _inFlight -= bytes;
            Grant();
        }
    }

    private bool Fits(long bytes) => _inFlight + bytes <= capacity || _inFlight == 0;

    private void Grant()
    {
        while (_waiters.TryPeek(out var next))
        {
            if (next.Ready.Task.IsCanceled)
            {
                _waiters.Dequeue();
                continue;
            }

            if (!Fits(next.Bytes))
            {
                return;
            }

            _waiters.Dequeue();
            _inFlight += next.Bytes;
            next.Ready.TrySetResult();
        }
    }
}
