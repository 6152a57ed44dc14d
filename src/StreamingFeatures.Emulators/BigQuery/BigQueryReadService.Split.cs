using Google.Cloud.BigQuery.Storage.V1;
using Grpc.Core;

namespace StreamingFeatures.Emulators.BigQuery;

internal sealed partial class BigQueryReadService
{
    /// <summary>
    /// Splits a stream's range at <c>fraction</c> of its rows (before the filter), as storage.proto specifies: the
    /// primary stream holds the beginning of the original, the remainder its tail, and the original stays readable.
    /// A stream too small to split gives an empty response.
    /// </summary>
    public override Task<SplitReadStreamResponse> SplitReadStream(SplitReadStreamRequest request, ServerCallContext context)
    {
        StreamRange stream = Resolve(request.Name, "name");
        if (!(request.Fraction > 0 && request.Fraction < 1))
        {
            throw EmulatorErrors.InvalidArgument($"fraction is {request.Fraction}; it must be in the range (0.0, 1.0).");
        }

        long split = stream.Start + (long)Math.Floor((stream.End - stream.Start) * request.Fraction);
        if (split <= stream.Start || split >= stream.End)
        {
            return Task.FromResult(new SplitReadStreamResponse());
        }

        return Task.FromResult(new SplitReadStreamResponse
        {
            PrimaryStream = stream.Session.AddStream(stream.Start, split).ToProto(),
            RemainderStream = stream.Session.AddStream(split, stream.End).ToProto(),
        });
    }
}
