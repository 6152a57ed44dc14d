using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Serving;
using V1 = StreamingFeatures.Serving.V1;

namespace StreamingFeatures.LoadTesting;

/// <summary>
/// A running <c>streamingfeatures serve</c> over gRPC (its <c>--grpc-port</c>), reading the feature set named like
/// the run's table. A refusal or an endpoint that does not answer throws its <see cref="RpcException"/>, which the
/// read load counts by code, as it counts the in-process reader's.
/// </summary>
public sealed class ServeReadClient : IReadClient, IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly V1.FeatureService.FeatureServiceClient _client;
    private readonly string _featureSet;
    private readonly TimeProvider _time;

    public ServeReadClient(Uri endpoint, string featureSet, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        _client = new V1.FeatureService.FeatureServiceClient(_channel);
        _featureSet = featureSet;
        _time = time ?? TimeProvider.System;
        Description = $"serve at {endpoint.GetLeftPart(UriPartial.Authority)} over gRPC, feature set {featureSet}";
    }

    public string Description { get; }

    public async Task ReadAsync(EntityKey[] entities, IReadOnlyList<string>? features, long[] statuses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        ArgumentNullException.ThrowIfNull(statuses);
        var request = new V1.GetOnlineFeaturesRequest { FeatureSet = _featureSet };
        foreach (EntityKey entity in entities)
        {
            var key = new V1.EntityKey();
            key.Parts.AddRange(entity.Parts);
            request.Entities.Add(key);
        }

        if (features is not null)
        {
            request.Features.AddRange(features);
        }

        V1.GetOnlineFeaturesResponse response = await _client.GetOnlineFeaturesAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (V1.EntityFeatures entity in response.Entities)
        {
            foreach (V1.FeatureResult feature in entity.Features)
            {
                statuses[(int)Status(feature.Status)]++;
            }
        }
    }

    /// <summary>
    /// Asks the endpoint which feature sets it serves: null when it serves <paramref name="featureSet"/> with its
    /// features, else one line saying what is wrong (not answering, not serving it, other features).
    /// </summary>
    public async Task<string?> ProblemAsync(FeatureSetOptions featureSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(featureSet);
        V1.ListFeatureSetsResponse list;
        try
        {
            list = await _client.ListFeatureSetsAsync(new V1.ListFeatureSetsRequest(), deadline: _time.GetUtcNow().UtcDateTime.AddSeconds(10), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return $"the serve endpoint ({Description}) did not answer ListFeatureSets: {e.StatusCode}, {e.Status.Detail}";
        }

        V1.FeatureSetInfo? served = list.FeatureSets.FirstOrDefault(s => s.Name == _featureSet);
        if (served is null)
        {
            return $"the serve endpoint ({Description}) does not serve {_featureSet} (it serves {(list.FeatureSets.Count == 0 ? "none" : string.Join(", ", list.FeatureSets.Select(s => s.Name)))}); start it with --feature-set the file `loadtest --write-feature-set` writes";
        }

        string want = string.Join(",", featureSet.Features.Select(f => $"{f.Name}:{f.Type.ToString().ToLowerInvariant()}"));
        string have = string.Join(",", served.Features.Select(f => $"{f.Name}:{f.Type}"));
        return want == have ? null : $"the serve endpoint's feature set {_featureSet} has features {have}, the load test writes {want}; start serve with the file `loadtest --write-feature-set` writes for this profile";
    }

    public void Dispose() => _channel.Dispose();

    private static FeatureStatus Status(V1.FeatureStatus status) => status switch
    {
        V1.FeatureStatus.Present => FeatureStatus.Present,
        V1.FeatureStatus.NullValue => FeatureStatus.NullValue,
        V1.FeatureStatus.OutsideMaxAge => FeatureStatus.OutsideMaxAge,
        _ => FeatureStatus.NotFound,
    };
}
