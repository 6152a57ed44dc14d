namespace StreamingFeatures.Jobs;

/// <summary>The checkpoint found is another migration's: resuming it would mix two jobs' progress.</summary>
public sealed class CheckpointMismatchException : Exception
{
    public CheckpointMismatchException()
    {
        Store = string.Empty;
        Differences = [];
    }

    public CheckpointMismatchException(string store, IReadOnlyList<string> differences)
        : base($"The checkpoint {store} belongs to another migration ({string.Join("; ", differences)}).")
    {
        Store = store;
        Differences = differences;
    }

    public CheckpointMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Store = string.Empty;
        Differences = [];
    }

    /// <summary>The store, as its description names it.</summary>
    public string Store { get; }

    /// <summary>What differs, each as "key: saved → now".</summary>
    public IReadOnlyList<string> Differences { get; }
}
