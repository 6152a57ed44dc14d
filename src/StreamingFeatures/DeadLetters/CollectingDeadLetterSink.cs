using System.Collections.Concurrent;

namespace StreamingFeatures.DeadLetters;

/// <summary>Keeps dead letters in memory, up to a bound; beyond it only counts them.</summary>
public sealed class CollectingDeadLetterSink(int capacity = 10_000) : IDeadLetterSink
{
    private readonly ConcurrentQueue<DeadLetter> _kept = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public IReadOnlyCollection<DeadLetter> Kept => _kept;

    public ValueTask WriteAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _count) <= capacity)
        {
            _kept.Enqueue(deadLetter);
        }

        return ValueTask.CompletedTask;
    }
}
