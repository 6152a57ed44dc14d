using System.Text.Json;
using StreamingFeatures.Cli.Serve.Feast;

namespace StreamingFeatures.Tests.Serve;

[TestClass]
public sealed class FeastRequestTests
{
    /// <summary>
    /// The request of Feast's documented example (docs/reference/feature-servers/python-feature-server.md,
    /// "Retrieving features"): <c>curl -X POST "http://localhost:6566/get-online-features" -d '{"features":
    /// ["driver_hourly_stats:conv_rate", "driver_hourly_stats:acc_rate", "driver_hourly_stats:avg_daily_trips"],
    /// "entities": {"driver_id": [1001, 1002, 1003]}}'</c>.
    /// </summary>
    public const string DocumentedRequest = """
        {
          "features": [
            "driver_hourly_stats:conv_rate",
            "driver_hourly_stats:acc_rate",
            "driver_hourly_stats:avg_daily_trips"
          ],
          "entities": {
            "driver_id": [1001, 1002, 1003]
          }
        }
        """;

    [TestMethod]
    public void Parse_DocumentedRequest_ReadsFeaturesEntitiesAndShortNames()
    {
        FeastRequest request = Parse(DocumentedRequest);

        CollectionAssert.AreEqual(
            new[] { new FeastFeatureRef("driver_hourly_stats", "conv_rate"), new("driver_hourly_stats", "acc_rate"), new("driver_hourly_stats", "avg_daily_trips") },
            request.Features.ToArray());
        Assert.HasCount(1, request.Entities);
        Assert.AreEqual("driver_id", request.Entities[0].Name);
        CollectionAssert.AreEqual(new[] { "1001", "1002", "1003" }, request.Entities[0].Keys);
        Assert.AreEqual(3, request.EntityCount);
        Assert.IsFalse(request.FullFeatureNames);
    }

    [TestMethod]
    [DataRow("-5", "-5")]
    [DataRow("9223372036854775807", "9223372036854775807")]
    [DataRow("\"u-17\"", "u-17")]
    [DataRow("\"1001\"", "1001")]
    public void Parse_EntityValue_KeysAsTheWritersDo(string json, string key)
    {
        FeastRequest request = Parse($$$"""{"features": ["v:f"], "entities": {"id": [{{{json}}}]}}""");

        Assert.AreEqual(key, request.Entities[0].Keys[0], "an INT64 key column is keyed by its invariant decimal digits, a string as is");
    }

    [TestMethod]
    [DataRow("""{"features": ["v:f"], "entities": {"id": [1.5]}}""", "entities.id[0] is 1.5; allowed: an integer (int64) or a non-empty string.")]
    [DataRow("""{"features": ["v:f"], "entities": {"id": [1, true]}}""", "entities.id[1] is true; allowed")]
    [DataRow("""{"features": ["v:f"], "entities": {"id": [""]}}""", "entities.id[0] is \"\"; allowed")]
    [DataRow("""{"features": ["v:f"], "entities": {"id": [18446744073709551615]}}""", "entities.id[0] is 18446744073709551615; allowed: an integer (int64)")]
    [DataRow("""{"features": ["v:f"], "entities": {"a": [1, 2], "b": [1]}}""", "entities.b has 1 value(s); allowed: as many as entities.a (2)")]
    [DataRow("""{"features": ["v:f"], "entities": {"id": []}}""", "entities.id is []; allowed: a non-empty array")]
    [DataRow("""{"features": ["v:f"], "entities": {}}""", "entities is {}; allowed: an object of entity key columns")]
    [DataRow("""{"features": ["v:f"]}""", "entities is missing; allowed")]
    [DataRow("""{"features": [], "entities": {"id": [1]}}""", "features is []; allowed: a non-empty array of \"feature_view:feature\" strings.")]
    [DataRow("""{"features": ["conv_rate"], "entities": {"id": [1]}}""", "features[0] is \"conv_rate\"; allowed: \"feature_view:feature\"")]
    [DataRow("""{"features": ["v:f", ":f"], "entities": {"id": [1]}}""", "features[1] is \":f\"; allowed")]
    [DataRow("""{"features": ["v:"], "entities": {"id": [1]}}""", "features[0] is \"v:\"; allowed")]
    [DataRow("""{"features": ["a:b:c"], "entities": {"id": [1]}}""", "features[0] is \"a:b:c\"; allowed")]
    [DataRow("""{"features": [7], "entities": {"id": [1]}}""", "features[0] is 7; allowed")]
    [DataRow("""{"features": ["v:f"], "entities": {"id": [1]}, "full_feature_names": "yes"}""", "full_feature_names is \"yes\"; allowed: true or false.")]
    [DataRow("""[1, 2]""", "The request body is a JSON array; allowed: an object")]
    public void Parse_BadField_RefusedNamingFieldValueAndWhatIsAllowed(string json, string message)
    {
        FeastException error = Assert.ThrowsExactly<FeastException>(() => Parse(json));

        Assert.AreEqual(400, error.StatusCode);
        StringAssert.StartsWith(error.Message, message);
    }

    [TestMethod]
    public void Parse_FeatureService_RefusedSayingWhyAndWhatToSendInstead()
    {
        FeastException error = Assert.ThrowsExactly<FeastException>(() => Parse("""{"feature_service": "driver_activity", "entities": {"driver_id": [1001]}}"""));

        Assert.AreEqual(400, error.StatusCode);
        StringAssert.StartsWith(error.Message, "feature_service is \"driver_activity\"; feature services are not supported");
        StringAssert.Contains(error.Message, "list the features as \"feature_view:feature\" in \"features\"");
    }

    [TestMethod]
    public void Parse_NullFeatureServiceAndFullNames_AreAbsent()
    {
        FeastRequest request = Parse("""{"feature_service": null, "features": ["v:f"], "entities": {"id": [1]}, "full_feature_names": null, "unknown": 1}""");

        Assert.IsFalse(request.FullFeatureNames);
        Assert.HasCount(1, request.Features);
    }

    [TestMethod]
    public void Parse_CompositeKey_KeepsColumnsInRequestOrder()
    {
        FeastRequest request = Parse("""{"features": ["v:f"], "entities": {"b": ["x", "y"], "a": [1, 2]}, "full_feature_names": true}""");

        CollectionAssert.AreEqual(new[] { "b", "a" }, request.Entities.Select(c => c.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "1", "2" }, request.Entities[1].Keys);
        Assert.IsTrue(request.FullFeatureNames);
    }

    internal static FeastRequest Parse(string json)
    {
        // The request refers to the document's elements: a clone owns its own copy, so it outlives the document.
        using JsonDocument document = JsonDocument.Parse(json);
        return FeastRequest.Parse(document.RootElement.Clone());
    }
}
