using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using StreamingFeatures.Cli.Serve;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.IntegrationTests.Serving;
using V1 = StreamingFeatures.Serving.V1;

namespace StreamingFeatures.IntegrationTests.Serve;

/// <summary>The serve host in process: gRPC through the generated client and REST through JSON transcoding, on the cbtemulator.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ServeHostTests
{
    private static readonly DateTimeOffset s_event = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task GetOnlineFeatures_TwoFeatureSetsWrittenThroughThePipeline_ReadBackEqualOverGrpcAndRest()
    {
        using ServingTable first = await ServingTable.CreateAsync(FeatureReaderEmulatorTests.AllTypes(EmulatorFixture.UniqueName("sa"), NullHandling.Skip), TestContext.CancellationToken);
        await first.WriteAsync(
        [
            $"u1,{ServingTable.Time(s_event)},-9223372036854775808,2.5,true,Zürich,AQL/,2026-02-03T04:05:06.789012Z",
            $"u2,{ServingTable.Time(s_event)},42,-0.125,false,,,1970-01-01T00:00:00Z",
        ], TestContext.CancellationToken);
        using ServingTable second = await ServingTable.CreateAsync(FeatureReaderEmulatorTests.AllTypes(EmulatorFixture.UniqueName("sb"), NullHandling.Skip), TestContext.CancellationToken);
        await second.WriteAsync([$"u1,{ServingTable.Time(s_event)},7,0,false,other,,"], TestContext.CancellationToken);
        await using ServedTables served = await ServedTables.StartAsync([first.FeatureSet, second.FeatureSet]);

        V1.GetOnlineFeaturesResponse response = await served.Client.GetOnlineFeaturesAsync(Request(first.FeatureSet.Table, "u1", "ghost", "u2"), cancellationToken: TestContext.CancellationToken);
        V1.GetOnlineFeaturesResponse other = await served.Client.GetOnlineFeaturesAsync(Request(second.FeatureSet.Table, "u1"), cancellationToken: TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "i", "x", "b", "s", "y", "t" }, response.FeatureNames.ToArray());
        CollectionAssert.AreEqual(new[] { "u1", "ghost", "u2" }, response.Entities.Select(e => e.Entity.Parts.Single()).ToArray());
        var u1 = response.Entities[0].Features;
        Assert.IsTrue(u1.All(f => f.Status == V1.FeatureStatus.Present && f.EventTime.ToDateTimeOffset() == s_event), u1.ToString());
        Assert.AreEqual(long.MinValue, u1[0].Value.Int64Value);
        Assert.AreEqual(2.5, u1[1].Value.Float64Value);
        Assert.IsTrue(u1[2].Value.BoolValue);
        Assert.AreEqual("Zürich", u1[3].Value.StringValue);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 255 }, u1[4].Value.BytesValue.ToByteArray());
        Assert.AreEqual(new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero).AddTicks(7_890_120), u1[5].Value.TimestampValue.ToDateTimeOffset());
        Assert.IsTrue(response.Entities[1].Features.All(f => f.Status == V1.FeatureStatus.NotFound && f.Value is null && f.EventTime is null));
        Assert.AreEqual(V1.FeatureStatus.NullValue, response.Entities[2].Features[3].Status);
        Assert.AreEqual(DateTimeOffset.UnixEpoch, response.Entities[2].Features[5].Value.TimestampValue.ToDateTimeOffset());
        Assert.AreEqual(7, other.Entities[0].Features[0].Value.Int64Value, "the second feature set's own value");

        using HttpResponseMessage rest = await PostAsync(served, first.FeatureSet.Table, """{"entities": [{"parts": ["u1"]}, {"parts": ["ghost"]}], "features": ["i", "s"]}""");
        string body = await rest.Content.ReadAsStringAsync(TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.OK, rest.StatusCode, body);
        using JsonDocument json = JsonDocument.Parse(body);
        JsonElement restU1 = json.RootElement.GetProperty("entities")[0].GetProperty("features");
        Assert.AreEqual("-9223372036854775808", restU1[0].GetProperty("value").GetProperty("int64Value").GetString(), "proto3 JSON writes int64 as a string");
        Assert.AreEqual("PRESENT", restU1[0].GetProperty("status").GetString());
        Assert.AreEqual("2026-03-01T12:00:00Z", restU1[0].GetProperty("eventTime").GetString());
        Assert.AreEqual("Zürich", restU1[1].GetProperty("value").GetProperty("stringValue").GetString());
        Assert.AreEqual("NOT_FOUND", json.RootElement.GetProperty("entities")[1].GetProperty("features")[0].GetProperty("status").GetString());

        V1.ListFeatureSetsResponse list = await served.Client.ListFeatureSetsAsync(new V1.ListFeatureSetsRequest(), cancellationToken: TestContext.CancellationToken);
        CollectionAssert.AreEqual(new[] { first.FeatureSet.Table, second.FeatureSet.Table }, list.FeatureSets.Select(s => s.Name).ToArray());
        Assert.AreEqual("timestamp", list.FeatureSets[0].Features[5].Type);
        string listed = await served.Http.GetStringAsync(new Uri("/v1/featureSets", UriKind.Relative), TestContext.CancellationToken);
        StringAssert.Contains(listed, first.FeatureSet.Table);
    }

    [TestMethod]
    public async Task GetOnlineFeatures_BadRequests_NotFoundAndInvalidArgumentOverGrpcAndRest()
    {
        using ServingTable table = await ServingTable.CreateAsync(FeatureReaderEmulatorTests.AllTypes(EmulatorFixture.UniqueName("sc"), NullHandling.Skip), TestContext.CancellationToken);
        await using ServedTables served = await ServedTables.StartAsync([table.FeatureSet]);

        RpcException unknownSet = await Assert.ThrowsExactlyAsync<RpcException>(async () => await served.Client.GetOnlineFeaturesAsync(Request("nope", "u1"), cancellationToken: TestContext.CancellationToken));
        V1.GetOnlineFeaturesRequest badFeature = Request(table.FeatureSet.Table, "u1");
        badFeature.Features.Add("ghost_feature");
        RpcException unknownFeature = await Assert.ThrowsExactlyAsync<RpcException>(async () => await served.Client.GetOnlineFeaturesAsync(badFeature, cancellationToken: TestContext.CancellationToken));
        V1.GetOnlineFeaturesRequest twoParts = Request(table.FeatureSet.Table);
        twoParts.Entities.Add(new V1.EntityKey { Parts = { "a", "b" } });
        RpcException wrongParts = await Assert.ThrowsExactlyAsync<RpcException>(async () => await served.Client.GetOnlineFeaturesAsync(twoParts, cancellationToken: TestContext.CancellationToken));
        using HttpResponseMessage restUnknown = await PostAsync(served, "nope", """{"entities": [{"parts": ["u1"]}]}""");
        using HttpResponseMessage restBad = await PostAsync(served, table.FeatureSet.Table, """{"entities": [{"parts": ["u1"]}], "features": ["ghost_feature"]}""");

        Assert.AreEqual(StatusCode.NotFound, unknownSet.StatusCode);
        Assert.AreEqual($"feature_set is 'nope', which this server does not serve; it serves: {table.FeatureSet.Table}.", unknownSet.Status.Detail);
        Assert.AreEqual(StatusCode.InvalidArgument, unknownFeature.StatusCode);
        StringAssert.StartsWith(unknownFeature.Status.Detail, "features[0] is 'ghost_feature'");
        Assert.AreEqual(StatusCode.InvalidArgument, wrongParts.StatusCode);
        StringAssert.Contains(wrongParts.Status.Detail, "has 2 part(s)");
        Assert.AreEqual(HttpStatusCode.NotFound, restUnknown.StatusCode);
        Assert.AreEqual(HttpStatusCode.BadRequest, restBad.StatusCode);
    }

    [TestMethod]
    public async Task GetOnlineFeatures_BigtableUnreachable_UnavailableOverGrpcAnd503OverRestAfterTheRetries()
    {
        FeatureSetOptions featureSet = FeatureReaderEmulatorTests.AllTypes("unreachable", NullHandling.Skip);
        await using ServedTables served = await ServedTables.StartAsync([featureSet], TimeSpan.FromSeconds(2), ServedTables.ClosedEndpoint());
        var clock = System.Diagnostics.Stopwatch.StartNew();

        RpcException grpc = await Assert.ThrowsExactlyAsync<RpcException>(async () => await served.Client.GetOnlineFeaturesAsync(Request("unreachable", "u1"), cancellationToken: TestContext.CancellationToken));
        TimeSpan retried = clock.Elapsed;
        using HttpResponseMessage rest = await PostAsync(served, "unreachable", """{"entities": [{"parts": ["u1"]}]}""");

        Assert.AreEqual(StatusCode.Unavailable, grpc.StatusCode, grpc.Status.Detail);
        Assert.IsGreaterThan(0.5, retried.TotalSeconds, "answered after retrying, not at the first refusal");
        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, rest.StatusCode, await rest.Content.ReadAsStringAsync(TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task GetOnlineFeatures_DeadlineShorterThanTheRead_DeadlineExceededOverGrpcAnd504OverRest()
    {
        using ServingTable table = await ServingTable.CreateAsync(FeatureReaderEmulatorTests.AllTypes(EmulatorFixture.UniqueName("sd"), NullHandling.Skip), TestContext.CancellationToken);
        await using ServedTables served = await ServedTables.StartAsync([table.FeatureSet], TimeSpan.FromMilliseconds(1));
        string[] keys = [.. Enumerable.Range(0, 1000).Select(i => $"k{i}")];
        await using ServedTables patient = await ServedTables.StartAsync([table.FeatureSet]);

        RpcException server = await Assert.ThrowsExactlyAsync<RpcException>(async () => await served.Client.GetOnlineFeaturesAsync(Request(table.FeatureSet.Table, keys), cancellationToken: TestContext.CancellationToken));
        RpcException caller = await Assert.ThrowsExactlyAsync<RpcException>(async () => await patient.Client.GetOnlineFeaturesAsync(Request(table.FeatureSet.Table, keys), deadline: DateTime.UtcNow.AddMilliseconds(2), cancellationToken: TestContext.CancellationToken));
        using HttpResponseMessage rest = await PostAsync(served, table.FeatureSet.Table, """{"entities": [{"parts": ["u1"]}, {"parts": ["u2"]}]}""");

        Assert.AreEqual(StatusCode.DeadlineExceeded, server.StatusCode, "--timeout: " + server.Status.Detail);
        Assert.AreEqual(StatusCode.DeadlineExceeded, caller.StatusCode, "the caller's deadline: " + caller.Status.Detail);
        Assert.AreEqual(HttpStatusCode.GatewayTimeout, rest.StatusCode, await rest.Content.ReadAsStringAsync(TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task Stop_ReadStillRunningAtTheDrainDeadline_CountedAsUnanswered()
    {
        // A Bigtable that accepts connections and never answers: the read runs until the drain cuts it off.
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        FeatureSetOptions featureSet = FeatureReaderEmulatorTests.AllTypes("silent", NullHandling.Skip);
        await using ServedTables served = await ServedTables.StartAsync([featureSet], TimeSpan.FromSeconds(30), $"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}", drainTimeout: TimeSpan.FromMilliseconds(300));
        ServeState state = served.App.Services.GetRequiredService<ServeState>();
        Task<V1.GetOnlineFeaturesResponse> read = served.Client.GetOnlineFeaturesAsync(Request("silent", "u1"), cancellationToken: TestContext.CancellationToken).ResponseAsync;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (state.RequestsInFlight == 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20, TestContext.CancellationToken);
        }

        Assert.AreEqual(1, state.RequestsInFlight, "the read reached the server");
        await served.App.StopAsync(TestContext.CancellationToken);

        Assert.AreEqual(1, state.Unanswered, "the drain ended with the read cut off");
        await Assert.ThrowsAsync<RpcException>(() => read);
    }

    private static V1.GetOnlineFeaturesRequest Request(string featureSet, params string[] keys)
    {
        var request = new V1.GetOnlineFeaturesRequest { FeatureSet = featureSet };
        request.Entities.AddRange(keys.Select(k => new V1.EntityKey { Parts = { k } }));
        return request;
    }

    private Task<HttpResponseMessage> PostAsync(ServedTables served, string featureSet, string json) =>
        served.Http.PostAsync(new Uri($"/v1/featureSets/{featureSet}:getOnlineFeatures", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"), TestContext.CancellationToken);
}
