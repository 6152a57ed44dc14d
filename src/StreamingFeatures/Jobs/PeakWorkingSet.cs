namespace StreamingFeatures.Jobs;

/// <summary>Samples the working set while a job runs; Process.PeakWorkingSet64 is not reliable on every OS.</summary>
internal sealed class PeakWorkingSet : IDisposable
{
    private readonly ITimer _timer;
    private long _peak;

    public PeakWorkingSet(TimeProvider time) => _timer = time.CreateTimer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));

    public long Bytes
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        long now = Environment.WorkingSet;
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }
    }
}
