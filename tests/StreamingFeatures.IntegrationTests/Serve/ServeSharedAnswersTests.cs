using System.Net;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using V1 = StreamingFeatures.Serving.V1;

namespace StreamingFeatures.IntegrationTests.Serve;

/// <summary>
/// The serve host on the cbtemulator answering every status at once, keys repeated and out of order: NOT_FOUND and
/// NULL_VALUE (one shared message each in the server) carry neither value nor event time whatever came before or
/// runs beside them, the entities come back exactly as asked, and gRPC and REST (JSON transcoding) give one answer.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed partial class ServeSharedAnswersTests
{
    private static readonly string[] s_keys = ["nulls", "ghost", "present", "old", "ghost", "present", "nulls"];

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task GetOnlineFeatures_RepeatedUnsortedKeysOfEveryStatus_RequestOrderAndOneAnswerOverGrpcAndRest()
    {
        using EveryStatus table = await EveryStatus.CreateAsync(Cancellation);
        await using ServedTables served = await ServedTables.StartAsync([table.FeatureSet]);
        V1.GetOnlineFeaturesRequest request = table.Request(s_keys);

        V1.GetOnlineFeaturesResponse grpc = await served.Client.GetOnlineFeaturesAsync(request, cancellationToken: Cancellation);
        (V1.GetOnlineFeaturesResponse rest, JsonElement json) = await PostAsync(served, request);

        CollectionAssert.AreEqual(s_keys, grpc.Entities.Select(e => e.Entity.Parts.Single()).ToArray(), "every key, in request order, duplicates kept");
        CollectionAssert.AreEqual(request.Entities.ToArray(), rest.Entities.Select(e => e.Entity).ToArray());
        for (int i = 0; i < s_keys.Length; i++)
        {
            table.AssertAnswer(s_keys[i], grpc.Entities[i]);
        }

        Assert.AreEqual(grpc, rest, "the REST answer, parsed, is the gRPC one");
        foreach (JsonElement feature in json.GetProperty("entities").EnumerateArray().SelectMany(e => e.GetProperty("features").EnumerateArray()))
        {
            bool bare = feature.GetProperty("status").GetString() is "NOT_FOUND" or "NULL_VALUE";
            Assert.IsFalse(bare && (feature.TryGetProperty("value", out _) || feature.TryGetProperty("eventTime", out _)), feature.GetRawText());
        }
    }

    [TestMethod]
    public async Task GetOnlineFeatures_MissingThenPresentForAnotherEntityThenMissing_NoAnswerCarriesAnothersValues()
    {
        using EveryStatus table = await EveryStatus.CreateAsync(Cancellation);
        await using ServedTables served = await ServedTables.StartAsync([table.FeatureSet]);
        V1.GetOnlineFeaturesRequest missing = table.Request("ghost", "nulls");
        V1.GetOnlineFeaturesRequest present = table.Request("present", "old");

        V1.GetOnlineFeaturesResponse first = await served.Client.GetOnlineFeaturesAsync(missing, cancellationToken: Cancellation);
        V1.GetOnlineFeaturesResponse between = await served.Client.GetOnlineFeaturesAsync(present, cancellationToken: Cancellation);
        (V1.GetOnlineFeaturesResponse rest, _) = await PostAsync(served, missing);
        V1.GetOnlineFeaturesResponse again = await served.Client.GetOnlineFeaturesAsync(missing, cancellationToken: Cancellation);
        // Side by side too: any change to a shared message would show in some of these.
        Task<V1.GetOnlineFeaturesResponse>[] side = [.. Enumerable.Range(0, 24).Select(i => served.Client.GetOnlineFeaturesAsync(i % 2 == 0 ? missing : present, cancellationToken: Cancellation).ResponseAsync)];
        V1.GetOnlineFeaturesResponse[] sideBySide = await Task.WhenAll(side);

        table.AssertAnswer("ghost", first.Entities[0]);
        table.AssertAnswer("nulls", first.Entities[1]);
        table.AssertAnswer("present", between.Entities[0]);
        table.AssertAnswer("old", between.Entities[1]);
        Assert.AreEqual(first, rest);
        Assert.AreEqual(first, again);
        for (int i = 0; i < sideBySide.Length; i++)
        {
            Assert.AreEqual(i % 2 == 0 ? first : between, sideBySide[i], $"request {i} of those side by side");
        }
    }

    /// <summary>The request over REST: the same message as JSON (its feature set in the path), the answer parsed back.</summary>
    private async Task<(V1.GetOnlineFeaturesResponse Response, JsonElement Json)> PostAsync(ServedTables served, V1.GetOnlineFeaturesRequest request)
    {
        V1.GetOnlineFeaturesRequest body = request.Clone();
        body.FeatureSet = string.Empty;
        using var content = new StringContent(JsonFormatter.Default.Format(body), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await served.Http.PostAsync(new Uri($"/v1/featureSets/{request.FeatureSet}:getOnlineFeatures", UriKind.Relative), content, Cancellation);
        string text = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, text);
        using JsonDocument json = JsonDocument.Parse(text);
        return (JsonParser.Default.Parse<V1.GetOnlineFeaturesResponse>(text), json.RootElement.Clone());
    }
}
