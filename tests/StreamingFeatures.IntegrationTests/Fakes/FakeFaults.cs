using Google.Cloud.Bigtable.V2;
using Google.Protobuf;

namespace StreamingFeatures.IntegrationTests.Fakes;

/// <summary>
/// What the fake Bigtable does to MutateRows calls. Every rule is a deterministic function of what it is given, so a
/// test can recompute the expected fate of each row. Unset rules mean: answer OK, at once, without RateLimitInfo.
/// </summary>
internal sealed record FakeFaults
{
    /// <summary>
    /// Per entry: its row key and how many requests have carried that key so far, this one included (1 on the first
    /// send) → the status to answer, or null for OK. Only OK entries are applied to the table.
    /// </summary>
    public Func<ByteString, int, FakeStatus?>? Entry { get; init; }

    /// <summary>Per call number (1 for the first call to arrive) → fail the whole call with this status; null answers entries.</summary>
    public Func<int, FakeStatus?>? Call { get; init; }

    /// <summary>
    /// Per call number and its arrival time counted from the first call's → RateLimitInfo to put in the response, or
    /// null. Counting from the first call keeps a script independent of how long the client took to start.
    /// </summary>
    public Func<int, TimeSpan, RateLimitInfo?>? RateLimit { get; init; }

    /// <summary>Per call number → how long to wait before answering. The client's deadline still applies.</summary>
    public Func<int, TimeSpan>? Latency { get; init; }

    /// <summary>Entries per response message; Bigtable may stream a call's results over several. Default: all in one.</summary>
    public int? EntriesPerResponse { get; init; }
}
