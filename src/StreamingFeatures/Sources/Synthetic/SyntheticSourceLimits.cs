namespace StreamingFeatures.Sources.Synthetic;

/// <summary>The defaults and ranges of the <see cref="SyntheticSourceOptions"/> a user sets (the sample table's size).</summary>
internal static class SyntheticSourceLimits
{
    public static readonly Limit<long> Rows = new(1_000_000, 0, 1_000_000_000_000);

    public static readonly Limit<int> Features = new(8, 1, 1_000);
}
