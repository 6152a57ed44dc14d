namespace StreamingFeatures.Cli.Serve;

/// <summary>Reads in flight, so a stop can tell whether the drain finished them all within --drain-timeout.</summary>
internal sealed class ServeState
{
    private int _inFlight;

    public int ReadsInFlight => Volatile.Read(ref _inFlight);

    public InFlight Begin()
    {
        Interlocked.Increment(ref _inFlight);
        return new InFlight(this);
    }

    /// <summary>One read; disposing it ends it.</summary>
    internal readonly struct InFlight(ServeState state) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref state._inFlight);
    }
}
