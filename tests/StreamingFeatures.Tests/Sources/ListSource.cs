using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources;

namespace StreamingFeatures.Tests.Sources;

/// <summary>Sends the chunks it was given, then ends; or, with <see cref="Error"/>, throws it after them.</summary>
internal sealed class ListSource(string description, SourceSchema schema, params SourceChunk[] chunks) : IRowSource
{
    public SourceSchema Schema => schema;

    public string Description => description;

    public long? ExpectedRows => chunks.Sum(c => c.RowCount);

    public Exception? Error { get; init; }

    /// <summary>Where every partition of this source starts.</summary>
    public long Start { get; init; }

    public long FirstOffset(int partition) => Start;

    public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        foreach (SourceChunk chunk in chunks)
        {
            if (!await target.SendAsync(chunk, cancellationToken))
            {
                return;
            }
        }

        if (Error is not null)
        {
            throw Error;
        }
    }
}
