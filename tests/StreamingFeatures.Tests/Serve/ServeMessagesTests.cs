using Google.Protobuf.WellKnownTypes;
using StreamingFeatures.Cli.Serve;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Serving;
using V1 = StreamingFeatures.Serving.V1;

namespace StreamingFeatures.Tests.Serve;

[TestClass]
public sealed class ServeMessagesTests
{
    private static readonly DateTimeOffset s_time = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    [TestMethod]
    public void Value_EveryType_IntoItsOneofCase()
    {
        Assert.AreEqual(long.MinValue, ServeMessages.Value(FeatureValue.Int64(long.MinValue)).Int64Value);
        Assert.AreEqual(-0.125, ServeMessages.Value(FeatureValue.Float64(-0.125)).Float64Value);
        Assert.IsTrue(ServeMessages.Value(FeatureValue.Bool(true)).BoolValue);
        Assert.AreEqual("Zürich", ServeMessages.Value(FeatureValue.String("Zürich")).StringValue);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 255 }, ServeMessages.Value(FeatureValue.Bytes(new byte[] { 1, 2, 255 })).BytesValue.ToByteArray());
        V1.FeatureValue timestamp = ServeMessages.Value(FeatureValue.Timestamp(1_770_000_000_123_456));
        Assert.AreEqual(V1.FeatureValue.KindOneofCase.TimestampValue, timestamp.KindCase);
        Assert.AreEqual(new Timestamp { Seconds = 1_770_000_000, Nanos = 123_456_000 }, timestamp.TimestampValue);
    }

    [TestMethod]
    public void TimestampOfMicros_BeforeTheEpoch_NanosStayPositive()
    {
        Assert.AreEqual(new Timestamp { Seconds = -1, Nanos = 999_999_000 }, ServeMessages.TimestampOfMicros(-1));
        Assert.AreEqual(new Timestamp { Seconds = -2, Nanos = 0 }, ServeMessages.TimestampOfMicros(-2_000_000));
        Assert.AreEqual(new Timestamp(), ServeMessages.TimestampOfMicros(0));
    }

    [TestMethod]
    public void Status_EveryStatus_FeastsName()
    {
        Assert.AreEqual(V1.FeatureStatus.Present, ServeMessages.Status(FeatureStatus.Present));
        Assert.AreEqual(V1.FeatureStatus.NullValue, ServeMessages.Status(FeatureStatus.NullValue));
        Assert.AreEqual(V1.FeatureStatus.NotFound, ServeMessages.Status(FeatureStatus.NotFound));
        Assert.AreEqual(V1.FeatureStatus.OutsideMaxAge, ServeMessages.Status(FeatureStatus.OutsideMaxAge));
    }

    [TestMethod]
    public void Result_PresentNotFoundAndOutsideMaxAge_ValueOnlyWhenPresentEventTimeWhenKnown()
    {
        V1.FeatureResult present = ServeMessages.Result(new FeatureResult(FeatureStatus.Present, FeatureValue.Int64(7), s_time));
        V1.FeatureResult missing = ServeMessages.Result(FeatureResult.NotFound);
        V1.FeatureResult expired = ServeMessages.Result(new FeatureResult(FeatureStatus.OutsideMaxAge, default, s_time));

        Assert.AreEqual(7, present.Value.Int64Value);
        Assert.AreEqual(s_time, present.EventTime.ToDateTimeOffset());
        Assert.IsNull(missing.Value);
        Assert.IsNull(missing.EventTime);
        Assert.IsNull(expired.Value);
        Assert.AreEqual(s_time, expired.EventTime.ToDateTimeOffset());
    }

    [TestMethod]
    public void Response_TwoEntitiesComposite_RequestOrderPartsAndAsOf()
    {
        var result = new FeatureReadResult(
            ["a", "b"],
            [new EntityFeatures(new EntityKey("u", "1"), [FeatureResult.NotFound, FeatureResult.NullValue]), new EntityFeatures(new EntityKey("u", "1"), [FeatureResult.NotFound, FeatureResult.NullValue])],
            s_time);

        V1.GetOnlineFeaturesResponse response = ServeMessages.Response(result);

        CollectionAssert.AreEqual(new[] { "a", "b" }, response.FeatureNames.ToArray());
        Assert.HasCount(2, response.Entities);
        CollectionAssert.AreEqual(new[] { "u", "1" }, response.Entities[1].Entity.Parts.ToArray());
        Assert.AreEqual(V1.FeatureStatus.NullValue, response.Entities[0].Features[1].Status);
        Assert.AreEqual(s_time, response.AsOf.ToDateTimeOffset());
    }

    [TestMethod]
    public void EntityKeys_AnEntityWithoutParts_RefusedNamingItsIndex()
    {
        var request = new V1.GetOnlineFeaturesRequest { Entities = { new V1.EntityKey { Parts = { "u1" } }, new V1.EntityKey() } };

        ArgumentException e = Assert.ThrowsExactly<ArgumentException>(() => ServeMessages.EntityKeys(request.Entities));

        StringAssert.StartsWith(e.Message, "entities[1] has no parts");
    }

    [TestMethod]
    public void Info_FeatureSetWithMaxAge_TypesInLowerCaseAndMaxAgeInSeconds()
    {
        var featureSet = new FeatureSetOptions
        {
            Table = "t",
            EntityKey = ["user_id"],
            EventTime = "ts",
            Families = { ["f"] = new ColumnFamilyOptions { MaxAge = TimeSpan.FromHours(1) }, ["g"] = new ColumnFamilyOptions() },
            Features = [new FeatureOptions { Name = "x", Family = "f", Type = FeatureType.Float64 }, new FeatureOptions { Name = "t", Family = "g", Type = FeatureType.Timestamp }],
        };

        V1.FeatureSetInfo info = ServeMessages.Info(featureSet);

        Assert.AreEqual("t", info.Name);
        CollectionAssert.AreEqual(new[] { "user_id" }, info.EntityKey.ToArray());
        Assert.AreEqual("float64", info.Features[0].Type);
        Assert.AreEqual(3600, info.Features[0].MaxAgeSeconds);
        Assert.AreEqual(0, info.Features[1].MaxAgeSeconds);
    }
}
