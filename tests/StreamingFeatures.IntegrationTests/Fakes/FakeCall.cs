using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;

namespace StreamingFeatures.IntegrationTests.Fakes;

/// <summary>
/// One MutateRows call as the fake saw it. Times are since the server started, on one monotonic clock:
/// <see cref="Arrived"/> when the request was read, <see cref="Answered"/> just before the answer (entries or
/// failure) was sent, so a client's reaction to the answer can only come later; for a call the client gave up on
/// (<see cref="StatusCode.Cancelled"/>), when the fake noticed.
/// </summary>
internal sealed record FakeCall(
    int Number,
    TimeSpan Arrived,
    TimeSpan Answered,
    MutateRowsRequest Request,
    Metadata Headers,
    StatusCode Status,
    IReadOnlyList<StatusCode> EntryCodes,
    bool RateLimited)
{
    public ByteString Key(int entry) => Request.Entries[entry].RowKey;
}
