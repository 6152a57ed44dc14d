using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using StreamingFeatures.Serving.V1;

namespace StreamingFeatures.Perf.Serve;

/// <summary>
/// <c>streamingfeatures serve</c>'s gRPC service through its generated client; requests pre-built like the bare
/// loop's, responses parsed by the client (it has to, to use them) and counted.
/// </summary>
internal sealed class GrpcVariant : IReadVariant
{
    private readonly FeatureService.FeatureServiceClient _client;
    private readonly Dictionary<ServeKeys, GetOnlineFeaturesRequest[]> _requests = [];

    public GrpcVariant(GrpcChannel channel, string featureSet, DateTimeOffset asOf, IEnumerable<ServeKeys> keySets)
    {
        _client = new FeatureService.FeatureServiceClient(channel);
        foreach (ServeKeys keys in keySets)
        {
            _requests[keys] = [.. keys.Batches.Select(batch => Request(featureSet, asOf, batch))];
        }
    }

    public string Name => "grpc";

    public bool CountsDistinct => false;

    public async Task<int> ReadAsync(ServeKeys keys, int batch, CancellationToken cancellationToken)
    {
        GetOnlineFeaturesResponse response = await _client.GetOnlineFeaturesAsync(_requests[keys][batch], cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Entities.Count(e => e.Features[0].Status == Serving.V1.FeatureStatus.Present);
    }

    private static GetOnlineFeaturesRequest Request(string featureSet, DateTimeOffset asOf, string[] batch)
    {
        var request = new GetOnlineFeaturesRequest { FeatureSet = featureSet, AsOf = Timestamp.FromDateTimeOffset(asOf) };
        request.Entities.Add(batch.Select(id => new Serving.V1.EntityKey { Parts = { id } }));
        return request;
    }
}

/// <summary>
/// The same service over REST (gRPC JSON transcoding): <c>POST /v1/featureSets/{set}:getOnlineFeatures</c> with the
/// pre-built JSON bodies; responses parsed with System.Text.Json and counted.
/// </summary>
internal sealed class RestVariant : IReadVariant
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly Uri _uri;
    private readonly Dictionary<ServeKeys, byte[][]> _bodies = [];

    public RestVariant(HttpClient http, string featureSet, DateTimeOffset asOf, IEnumerable<ServeKeys> keySets)
    {
        _http = http;
        _uri = new Uri($"/v1/featureSets/{Uri.EscapeDataString(featureSet)}:getOnlineFeatures", UriKind.Relative);
        foreach (ServeKeys keys in keySets)
        {
            // The body the transcoder expects is the request message's JSON (lowerCamel names, RFC 3339 times).
            _bodies[keys] = [.. keys.Batches.Select(batch => System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(Body(asOf, batch))))];
        }
    }

    public string Name => "rest";

    public bool CountsDistinct => false;

    public async Task<int> ReadAsync(ServeKeys keys, int batch, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(_bodies[keys][batch]);
        content.Headers.ContentType = Json;
        using HttpResponseMessage response = await _http.PostAsync(_uri, content, cancellationToken).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"POST {_uri} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        }

        using JsonDocument document = JsonDocument.Parse(body);
        int found = 0;
        foreach (JsonElement entity in document.RootElement.GetProperty("entities").EnumerateArray())
        {
            found += entity.GetProperty("features")[0].GetProperty("status").GetString() == "PRESENT" ? 1 : 0;
        }

        return found;
    }

    private static GetOnlineFeaturesRequest Body(DateTimeOffset asOf, string[] batch)
    {
        // The feature set travels in the path; the body holds the rest.
        var request = new GetOnlineFeaturesRequest { AsOf = Timestamp.FromDateTimeOffset(asOf) };
        request.Entities.Add(batch.Select(id => new Serving.V1.EntityKey { Parts = { id } }));
        return request;
    }
}
