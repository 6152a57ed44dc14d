using System.Text;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Serve.Feast;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Resilience;
using StreamingFeatures.Serving;
using StreamingFeatures.Tests.Serving;

namespace StreamingFeatures.Tests.Serve;

/// <summary>
/// The endpoint end to end on an in-memory HTTP context and a fake Bigtable. Feast's response holds one result per
/// column: its GetOnlineFeaturesResponse proto says the length of "results" matches the requested features, in the
/// order of metadata.feature_names, and the feature server puts the entity columns first (status PRESENT, event
/// timestamp 1970-01-01T00:00:00Z, as the documented example shows for driver_id).
/// </summary>
[TestClass]
public sealed class FeastEndpointsTests
{
    private readonly FakeReadRowsInvoker _users = new();
    private readonly FakeReadRowsInvoker _orders = new();

    [TestMethod]
    public async Task HandleAsync_FeaturesOfTwoEntities_OneResultPerColumnEntityColumnFirst()
    {
        ServingFixtures.AddRow(_users, "1001", 308);

        (int status, string body) = await PostAsync("""{"features": ["users:clicks", "users:score"], "entities": {"user_id": [1001, "1002", 1001]}}""");

        Assert.AreEqual(200, status, body);
        Assert.AreEqual(
            """{"metadata":{"feature_names":["user_id","clicks","score"]},"results":[""" +
            """{"values":[1001,"1002",1001],"statuses":["PRESENT","PRESENT","PRESENT"],"event_timestamps":["1970-01-01T00:00:00Z","1970-01-01T00:00:00Z","1970-01-01T00:00:00Z"]},""" +
            """{"values":[308,null,308],"statuses":["PRESENT","NOT_FOUND","PRESENT"],"event_timestamps":["2026-01-01T00:00:00Z","1970-01-01T00:00:00Z","2026-01-01T00:00:00Z"]},""" +
            """{"values":[null,null,null],"statuses":["NOT_FOUND","NOT_FOUND","NOT_FOUND"],"event_timestamps":["1970-01-01T00:00:00Z","1970-01-01T00:00:00Z","1970-01-01T00:00:00Z"]}]}""",
            body);
        Assert.HasCount(1, _users.Requests, "one read for the view, the duplicate key asked once");
    }

    [TestMethod]
    public async Task HandleAsync_FeaturesOfTwoViews_OneReadPerViewMergedInRequestOrder()
    {
        ServingFixtures.AddRow(_users, "7", 3);
        _orders.Rows[ServingFixtures.Key("7")] = [("o", "total", ServingFixtures.EventMicros, CellEncoding.Int64(42))];

        (int status, string body) = await PostAsync("""{"features": ["users:clicks", "orders:total", "users:score"], "entities": {"user_id": [7]}, "full_feature_names": true}""");

        Assert.AreEqual(200, status, body);
        using JsonDocument json = JsonDocument.Parse(body);
        Assert.AreEqual("""["user_id","users__clicks","orders__total","users__score"]""", json.RootElement.GetProperty("metadata").GetProperty("feature_names").GetRawText());
        JsonElement results = json.RootElement.GetProperty("results");
        Assert.AreEqual("[3]", results[1].GetProperty("values").GetRawText());
        Assert.AreEqual("[42]", results[2].GetProperty("values").GetRawText());
        Assert.HasCount(1, _users.Requests);
        Assert.HasCount(1, _orders.Requests);
    }

    [TestMethod]
    [DataRow("""{"features": ["drivers:clicks"], "entities": {"user_id": [1]}}""", 404, "FeatureViewNotFoundException", "features[0] is \"drivers:clicks\": feature view 'drivers' is not served here")]
    [DataRow("""{"features": ["users:conv_rate"], "entities": {"user_id": [1]}}""", 400, "ValueError", "features[0] is \"users:conv_rate\": feature view 'users' has no feature 'conv_rate'; allowed: clicks, score, country.")]
    [DataRow("""{"features": ["users:clicks", "users:clicks"], "entities": {"user_id": [1]}}""", 400, "ValueError", "features[1] is \"users:clicks\" again")]
    [DataRow("""{"features": ["users:total", "orders:total"], "entities": {"user_id": [1]}}""", 400, "ValueError", "features[0] is \"users:total\": feature view 'users' has no feature")]
    [DataRow("""{"features": ["orders:total", "users:clicks", "orders:clicks"], "entities": {"user_id": [1]}}""", 400, "ValueError", "features[2] is \"orders:clicks\": its name 'clicks' is also features[1]'s; set \"full_feature_names\": true")]
    [DataRow("""{"features": ["users:clicks"], "entities": {"driver_id": [1]}}""", 400, "ValueError", "entities has no 'user_id'; feature view 'users' is keyed by (user_id)")]
    [DataRow("""{"features": ["users:clicks"], "entities": {"user_id": [1], "driver_id": [2]}}""", 400, "ValueError", "entities.driver_id is not an entity key column of the requested feature views; allowed: user_id.")]
    [DataRow("""{"features": ["users:clicks"], "entities": {"user_id": [1, 2, 3, 4]}}""", 400, "ValueError", "entities holds 4 keys; allowed at most 3 per read")]
    [DataRow("""{"features": ["users:clicks"], """, 400, "ValueError", "The request body is not JSON")]
    public async Task HandleAsync_BadRequest_FeastErrorNamingTheField(string request, int expectedStatus, string errorClass, string message)
    {
        (int status, string body) = await PostAsync(request, new FeatureReaderOptions { MaxBatchKeys = 3 });

        Assert.AreEqual(expectedStatus, status, body);
        using JsonDocument json = JsonDocument.Parse(body);
        Assert.AreEqual(errorClass, json.RootElement.GetProperty("class").GetString());
        StringAssert.StartsWith(json.RootElement.GetProperty("message").GetString(), message);
        Assert.IsEmpty(_users.Requests, "nothing is read for a bad request");
    }

    [TestMethod]
    public async Task HandleAsync_BigtableNeverAnswers_504Timeout()
    {
        _users.Hang = true;

        (int status, string body) = await PostAsync("""{"features": ["users:clicks"], "entities": {"user_id": [1]}}""", new FeatureReaderOptions { Timeout = TimeSpan.FromMilliseconds(200) });

        Assert.AreEqual(504, status, body);
        StringAssert.Contains(body, "\"class\":\"TimeoutError\"");
        StringAssert.Contains(body, "deadline");
    }

    [TestMethod]
    public void Classify_ReaderFailures_StatusOfEach()
    {
        Assert.AreEqual(503, FeastEndpoints.Classify(new CallGaveUpException("Bigtable ReadRows gave up after 5 attempts"))!.StatusCode, "unavailable through the retries");
        Assert.AreEqual(503, FeastEndpoints.Classify(new RpcException(new Status(StatusCode.Unavailable, "down")))!.StatusCode);
        Assert.AreEqual(504, FeastEndpoints.Classify(new TimeoutException("late"))!.StatusCode);
        Assert.AreEqual(504, FeastEndpoints.Classify(new RpcException(new Status(StatusCode.DeadlineExceeded, "late")))!.StatusCode);
        Assert.AreEqual(404, FeastEndpoints.Classify(new RpcException(new Status(StatusCode.NotFound, "table")))!.StatusCode);
        Assert.AreEqual(500, FeastEndpoints.Classify(new RpcException(new Status(StatusCode.PermissionDenied, "no role")))!.StatusCode, "any other refusal answers in Feast's shape");
        Assert.AreEqual(500, FeastEndpoints.Classify(new InvalidDataException("a cell of 3 bytes for an int64"))!.StatusCode);
        Assert.IsNull(FeastEndpoints.Classify(new InvalidOperationException("bug")), "an unexpected failure is the host's 500, logged");
    }

    private async Task<(int Status, string Body)> PostAsync(string request, FeatureReaderOptions? options = null)
    {
        options = (options ?? new FeatureReaderOptions()) with { Retry = FeatureReaderOptions.DefaultRetry with { InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(1) } };
        var orders = new FeatureSetOptions
        {
            Table = "orders",
            EntityKey = ["user_id"],
            EventTime = "ts",
            Families = { ["o"] = new ColumnFamilyOptions() },
            Features = [new FeatureOptions { Name = "total", Family = "o", Type = FeatureType.Int64 }, new FeatureOptions { Name = "clicks", Family = "o", Type = FeatureType.Int64 }],
        };
        var readers = new Dictionary<string, FeatureReader>(StringComparer.Ordinal)
        {
            ["users"] = new(new BigtableTarget(_users, "projects/p/instances/i/tables/users"), ServingFixtures.FeatureSet(), options),
            ["orders"] = new(new BigtableTarget(_orders, "projects/p/instances/i/tables/orders"), orders, options),
        };
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(request));
        using var response = new MemoryStream();
        context.Response.Body = response;

        await FeastEndpoints.HandleAsync(context, view => readers.GetValueOrDefault(view));

        return (context.Response.StatusCode, Encoding.UTF8.GetString(response.ToArray()));
    }
}
