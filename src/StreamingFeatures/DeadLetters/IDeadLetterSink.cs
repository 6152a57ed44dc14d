namespace StreamingFeatures.DeadLetters;

/// <summary>Where dead letters go: a file, a Pub/Sub topic, memory in tests. Must be safe for concurrent callers.</summary>
public interface IDeadLetterSink
{
    ValueTask WriteAsync(DeadLetter deadLetter, CancellationToken cancellationToken);
}
