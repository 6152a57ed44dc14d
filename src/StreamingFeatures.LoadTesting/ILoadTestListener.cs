namespace StreamingFeatures.LoadTesting;

/// <summary>
/// What a load-test job tells its host while it runs: the plan once it is known, each measured interval, and what a
/// person should hear about (notes and warnings). The host decides how (and whether) to show them.
/// </summary>
public interface ILoadTestListener
{
    /// <summary>Everything is connected and provisioned; the schedule starts now.</summary>
    void Started(LoadTestStart start);

    /// <summary>An interval closed (about every <see cref="LoadMeasure.Interval"/>).</summary>
    void IntervalClosed(LoadInterval interval);

    /// <summary>Something worth knowing that changes no figure (e.g. how the key ranges were chosen).</summary>
    void Note(string message);

    /// <summary>Something that makes the figures less than the profile asked for (unfinished rows, a failed publish).</summary>
    void Warning(string message);
}

/// <summary>A listener that hears nothing.</summary>
public sealed class NullLoadTestListener : ILoadTestListener
{
    public static readonly NullLoadTestListener Instance = new();

    private NullLoadTestListener()
    {
    }

    public void Started(LoadTestStart start)
    {
    }

    public void IntervalClosed(LoadInterval interval)
    {
    }

    public void Note(string message)
    {
    }

    public void Warning(string message)
    {
    }
}
