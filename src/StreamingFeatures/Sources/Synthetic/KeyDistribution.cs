namespace StreamingFeatures.Sources.Synthetic;

/// <summary>How synthetic rows pick their entity ids.</summary>
public enum KeyDistribution
{
    /// <summary>Row i is entity i (mod the key space): the worst case for hotspotting without bucket prefixes.</summary>
    Sequential,

    /// <summary>Uniformly random over the key space.</summary>
    Uniform,

    /// <summary>Zipf over the key space with <see cref="SyntheticSourceOptions.ZipfExponent"/>: a few hot entities.</summary>
    Zipf,
}
