using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Pipeline;

/// <summary>
/// Tells several listeners when rows are done: the progress tracker that checkpoints, the Pub/Sub source that acks,
/// a load test's recorder. Each is told in order, on the caller's thread.
/// </summary>
public sealed class CompositeCompletion : IRowCompletion
{
    private readonly IRowCompletion[] _completions;

    public CompositeCompletion(params IRowCompletion[] completions)
    {
        ArgumentNullException.ThrowIfNull(completions);
        _completions = [.. completions];
    }

    /// <summary>The listeners given, without nulls: none gives null, one is itself, more are combined.</summary>
    public static IRowCompletion? Of(params IRowCompletion?[] completions)
    {
        IRowCompletion[] present = [.. completions.OfType<IRowCompletion>()];
        return present.Length switch
        {
            0 => null,
            1 => present[0],
            _ => new CompositeCompletion(present),
        };
    }

    public void Complete(IReadOnlyList<SourceRange> ranges)
    {
        foreach (IRowCompletion completion in _completions)
        {
            completion.Complete(ranges);
        }
    }
}
