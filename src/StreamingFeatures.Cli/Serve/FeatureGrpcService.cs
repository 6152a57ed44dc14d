using Grpc.Core;
using StreamingFeatures.Serving;
using V1 = StreamingFeatures.Serving.V1;

namespace StreamingFeatures.Cli.Serve;

/// <summary>
/// The API's <c>FeatureService</c> over one <see cref="FeatureReader"/> per feature set; answered over gRPC and, by
/// JSON transcoding, as REST. The read stops at the caller's deadline (the call's token) or the reader's timeout.
/// </summary>
internal sealed class FeatureGrpcService(ServedFeatureSets sets, TimeProvider time) : V1.FeatureService.FeatureServiceBase
{
    public override async Task<V1.GetOnlineFeaturesResponse> GetOnlineFeatures(V1.GetOnlineFeaturesRequest request, ServerCallContext context)
    {
        FeatureReader reader = sets.ReaderOf(request.FeatureSet) ?? throw ServeErrors.UnknownFeatureSet(request.FeatureSet, sets.Names);
        try
        {
            if (request.Entities.Count == 0)
            {
                throw new ArgumentException($"entities is empty; allowed: 1 to {reader.Options.MaxBatchKeys} entity keys.");
            }

            FeatureReadResult result = await reader.ReadAsync(
                ServeMessages.EntityKeys(request.Entities),
                request.Features.Count == 0 ? null : request.Features,
                AsOf(request.AsOf),
                context.CancellationToken).ConfigureAwait(false);
            return ServeMessages.Response(result, request.Entities);
        }
        catch (Exception e) when (ServeErrors.ToRpc(e, request.FeatureSet, context.Deadline, time.GetUtcNow().UtcDateTime) is { } rpc)
        {
            throw rpc;
        }
    }

    /// <summary>The request's as-of time; a Timestamp no time can be (nanos outside 0..999,999,999, past year 9999) is refused.</summary>
    private static DateTimeOffset? AsOf(Google.Protobuf.WellKnownTypes.Timestamp? asOf)
    {
        if (asOf is null)
        {
            return null;
        }

        try
        {
            return asOf.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            throw new ArgumentException($"as_of is {asOf.Seconds} s and {asOf.Nanos} ns; allowed: a time from 0001-01-01 to 9999-12-31 with nanos 0 to 999,999,999.");
        }
    }

    public override Task<V1.ListFeatureSetsResponse> ListFeatureSets(V1.ListFeatureSetsRequest request, ServerCallContext context)
    {
        var response = new V1.ListFeatureSetsResponse();
        response.FeatureSets.AddRange(sets.FeatureSets.Select(ServeMessages.Info));
        return Task.FromResult(response);
    }
}
