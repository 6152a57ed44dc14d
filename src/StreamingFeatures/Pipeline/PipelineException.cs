namespace StreamingFeatures.Pipeline;

/// <summary>A fatal fault that stopped the graph, with the context to find its cause (table, batch, keys, attempt).</summary>
public sealed class PipelineException : Exception
{
    public PipelineException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
