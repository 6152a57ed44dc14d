namespace StreamingFeatures.Resilience;

/// <summary>
/// The defaults and ranges of <see cref="CallRetryOptions"/>, in one place; each call's own defaults are the named
/// presets on the options. A call's deadline range bounds every retry deadline a user sets (writes, reads, admin).
/// </summary>
internal static class CallRetryLimits
{
    public static readonly Limit<TimeSpan> Deadline = new(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

    public static readonly Limit<TimeSpan> AttemptTimeout = new(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));

    public static readonly Limit<TimeSpan> InitialBackoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));

    /// <summary>The minimum is also <see cref="CallRetryOptions.InitialBackoff"/>, checked in the options.</summary>
    public static readonly Limit<TimeSpan> MaxBackoff = new(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));

    /// <summary>No default: without a bound the deadline ends the attempts.</summary>
    public static readonly Limit<int> MaxAttempts = new(0, 1, 10_000);
}
