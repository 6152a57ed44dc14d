namespace StreamingFeatures.Cli.Serve;

/// <summary>
/// Requests in flight and requests cut off by the stop, so a stop can tell whether the drain answered every request
/// within --drain-timeout: Kestrel aborts what is left at the deadline, and an aborted request has left the count by
/// the time the host has stopped, so it is counted apart.
/// </summary>
internal sealed class ServeState
{
    private int _inFlight;
    private int _cut;
    private volatile bool _stopping;

    public int RequestsInFlight => Volatile.Read(ref _inFlight);

    /// <summary>Requests that ended aborted after the stop began (cut off at the drain deadline, or given up by their client).</summary>
    public int RequestsCut => Volatile.Read(ref _cut);

    /// <summary>Requests not answered in the drain: still running, or cut off.</summary>
    public int Unanswered => RequestsInFlight + RequestsCut;

    public void Stopping() => _stopping = true;

    public InFlight Begin()
    {
        Interlocked.Increment(ref _inFlight);
        return new InFlight(this);
    }

    /// <summary>One request; <see cref="InFlight.End"/> ends it, saying whether it was aborted.</summary>
    internal readonly struct InFlight(ServeState state)
    {
        public void End(bool aborted)
        {
            if (aborted && state._stopping)
            {
                Interlocked.Increment(ref state._cut);
            }

            Interlocked.Decrement(ref state._inFlight);
        }
    }
}
