using StreamingFeatures.Checkpoints;
using StreamingFeatures.Pipeline;

namespace StreamingFeatures.LoadTesting;

/// <summary>Tells several listeners (the recorder, and the Pub/Sub source that acks) when rows are done.</summary>
public sealed class CompositeCompletion(params IRowCompletion[] completions) : IRowCompletion
{
    public void Complete(IReadOnlyList<SourceRange> ranges)
    {
        foreach (IRowCompletion completion in completions)
        {
            completion.Complete(ranges);
        }
    }
}
