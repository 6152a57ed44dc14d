using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Pipeline;

/// <summary>
/// Told which source rows are done: written and, where verification reads them back, verified — or dead-lettered.
/// Checkpoints advance on it, and a Pub/Sub source acks on it, so nothing is acknowledged before it is durable.
/// Called from the graph's verification stage (possibly from several read-back workers at once); must not block.
/// </summary>
public interface IRowCompletion
{
    void Complete(IReadOnlyList<SourceRange> ranges);
}
