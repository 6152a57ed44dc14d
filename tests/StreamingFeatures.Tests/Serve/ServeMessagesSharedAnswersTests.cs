using Google.Protobuf;
using StreamingFeatures.Cli.Serve;
using StreamingFeatures.Serving;
using V1 = StreamingFeatures.Serving.V1;

namespace StreamingFeatures.Tests.Serve;

/// <summary>
/// The answers <see cref="ServeMessages"/> does not build afresh: NOT_FOUND and NULL_VALUE are one shared message
/// each, and a response's entity keys are the request's own messages. A shared message changed by any response
/// would change every later answer; a key answered from anything but the request could come back reordered or merged.
/// </summary>
[TestClass]
public sealed class ServeMessagesSharedAnswersTests
{
    private static readonly DateTimeOffset s_time = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    [TestMethod]
    [DataRow(V1.FeatureStatus.NotFound, "{ \"status\": \"NOT_FOUND\" }")]
    [DataRow(V1.FeatureStatus.NullValue, "{ \"status\": \"NULL_VALUE\" }")]
    public void Result_NotFoundOrNullValue_StatusAloneOnTheWire(V1.FeatureStatus status, string json)
    {
        V1.FeatureResult message = ServeMessages.Result(status == V1.FeatureStatus.NotFound ? FeatureResult.NotFound : FeatureResult.NullValue);

        Assert.IsNull(message.Value);
        Assert.IsNull(message.EventTime);
        CollectionAssert.AreEqual(new V1.FeatureResult { Status = status }.ToByteArray(), message.ToByteArray());
        Assert.AreEqual(json, JsonFormatter.Default.Format(message));
    }

    [TestMethod]
    public void Result_NotFoundAndNullValueCarryingATimeOrValue_OwnMessagesAndTheSharedOnesStayBare()
    {
        V1.FeatureResult timed = ServeMessages.Result(new FeatureResult(FeatureStatus.NotFound, default, s_time));
        V1.FeatureResult valued = ServeMessages.Result(new FeatureResult(FeatureStatus.NullValue, FeatureValue.Int64(7), null));

        V1.FeatureResult notFound = ServeMessages.Result(FeatureResult.NotFound);
        V1.FeatureResult nullValue = ServeMessages.Result(FeatureResult.NullValue);

        Assert.AreEqual(s_time, timed.EventTime.ToDateTimeOffset());
        Assert.AreEqual(7, valued.Value.Int64Value);
        Assert.AreEqual(new V1.FeatureResult { Status = V1.FeatureStatus.NotFound }, notFound);
        Assert.AreEqual(new V1.FeatureResult { Status = V1.FeatureStatus.NullValue }, nullValue);
    }

    [TestMethod]
    public void Response_MissingThenPresentForAnotherEntityThenMissing_NoResponseChangesAnEarlierOne()
    {
        FeatureReadResult missing = Read(("ghost", [FeatureResult.NotFound, FeatureResult.NotFound]), ("nulls", [Present(1), FeatureResult.NullValue]));
        FeatureReadResult present = Read(("u1", [Present(2), Present(3)]), ("old", [new FeatureResult(FeatureStatus.OutsideMaxAge, default, s_time), Present(4)]));

        V1.GetOnlineFeaturesResponse first = ServeMessages.Response(missing);
        byte[] firstBytes = first.ToByteArray();
        V1.GetOnlineFeaturesResponse between = ServeMessages.Response(present);
        V1.GetOnlineFeaturesResponse again = ServeMessages.Response(missing);

        CollectionAssert.AreEqual(firstBytes, first.ToByteArray(), "the first response, after the ones that followed it");
        Assert.AreEqual(first, again);
        foreach (V1.FeatureResult result in first.Entities.SelectMany(e => e.Features).Where(f => f.Status is V1.FeatureStatus.NotFound or V1.FeatureStatus.NullValue))
        {
            Assert.IsTrue(result.Value is null && result.EventTime is null, result.ToString());
        }

        Assert.AreEqual(3, between.Entities[0].Features[1].Value.Int64Value);
        Assert.AreEqual(s_time, between.Entities[1].Features[0].EventTime.ToDateTimeOffset());
        Assert.IsNull(between.Entities[1].Features[0].Value);
    }

    [TestMethod]
    public void Response_RequestedKeysUnsortedWithDuplicates_ExactlyTheRequestsKeysInItsOrder()
    {
        string[][] asked = [["u", "2"], ["u", "1"], ["u", "2"], ["a", "9"], ["u", "1"]];
        var request = new V1.GetOnlineFeaturesRequest();
        request.Entities.AddRange(asked.Select(parts => new V1.EntityKey { Parts = { parts } }));
        FeatureReadResult result = Read([.. ServeMessages.EntityKeys(request.Entities).Select(key => (key, new[] { FeatureResult.NotFound, FeatureResult.NullValue }))]);

        V1.GetOnlineFeaturesResponse answered = ServeMessages.Response(result, request.Entities);
        V1.GetOnlineFeaturesResponse rebuilt = ServeMessages.Response(result);

        CollectionAssert.AreEqual(request.Entities.ToArray(), answered.Entities.Select(e => e.Entity).ToArray());
        CollectionAssert.AreEqual(request.Entities.ToArray(), rebuilt.Entities.Select(e => e.Entity).ToArray(), "keys rebuilt from the read's entities");
        Assert.AreEqual(answered, rebuilt);
    }

    private static FeatureResult Present(long value) => new(FeatureStatus.Present, FeatureValue.Int64(value), s_time);

    private static FeatureReadResult Read(params (EntityKey Key, FeatureResult[] Features)[] entities) =>
        new(["a", "b"], [.. entities.Select(e => new EntityFeatures(e.Key, e.Features))], s_time);
}
