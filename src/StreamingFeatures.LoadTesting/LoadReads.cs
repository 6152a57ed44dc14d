namespace StreamingFeatures.LoadTesting;

/// <summary>
/// The read workload of a profile (its <c>reads:</c> section): requests of <see cref="BatchSize"/> entities to the
/// feature reader at the rate of <see cref="Shape"/>, keys drawn from the entities the write phase loads. Target
/// <c>serve</c> reads after its write phase (the preload); the other in-process targets read while they write
/// (a mixed profile).
/// </summary>
public sealed class LoadReads
{
    /// <summary>Requests per second over time; the shapes of <see cref="LoadProfile.Shape"/>. Required.</summary>
    public LoadShape Shape { get; set; } = new();

    /// <summary>Entities per request (1 to the reader's maximum batch). Default 1.</summary>
    public int BatchSize { get; set; } = 1;

    /// <summary>Which entities are asked for: uniform, zipf (with its exponent) or sequential, plus a hot-key share, over the profile's key space.</summary>
    public LoadKeys Keys { get; set; } = new();

    /// <summary>Features asked for (names f0, f1…); empty for every feature of the rows.</summary>
    public List<string> Features { get; set; } = [];

    /// <summary>Requests in flight at most (1 to 10,000); a request due while all are busy waits, and its wait counts as latency. Default 64.</summary>
    public int MaxInFlight { get; set; } = 64;

    /// <summary>Seed of the key draws, so two runs ask for the same keys. Default 1.</summary>
    public int Seed { get; set; } = 1;
}
