namespace StreamingFeatures.Checkpoints;

/// <summary>A checkpoint cannot be read, written, or applied to this job.</summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException()
    {
    }

    public CheckpointException(string message)
        : base(message)
    {
    }

    public CheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
