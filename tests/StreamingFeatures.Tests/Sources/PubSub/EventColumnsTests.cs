using Google.Cloud.PubSub.V1;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Tests.Sources.PubSub;

/// <summary>JSON events (then attributes, then the publish time) into typed columns.</summary>
[TestClass]
public sealed class EventColumnsTests
{
    private static readonly EventSchema Schema = EventSchema.From(TestEvents.FeatureSet());

    [TestMethod]
    public void TryAdd_EveryTypeFromJson_ReadsEachValue()
    {
        var columns = new EventColumns(Schema, 8, publishTimeFallback: true);
        string json = """
            {"user":"u-1","ts":"2026-01-02T03:04:05.123456Z","clicks":42,"score":1.5,"active":true,
             "name":"caf\u00e9 \"x\"","blob":"AAEC/w==","seen":1700000000000000,"ignored":{"deep":[1,2,{"a":null}]}}
            """;

        Assert.IsTrue(columns.TryAdd(TestEvents.Message(json), out _, out string detail), detail);
        Assert.IsTrue(columns.TryAdd(TestEvents.Message("""{"user":7,"ts":1000,"clicks":"-9","score":"NaN","active":false,"seen":"2024-01-02"}"""), out _, out detail), detail);
        ColumnVector[] built = columns.Build();

        Assert.AreEqual("u-1", Text(built, "user", 0));
        Assert.AreEqual("7", Text(built, "user", 1), "a numeric key is its text");
        Assert.AreEqual(TestEvents.Micros(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)) + 123_456, Int64(built, "ts")[0]);
        Assert.AreEqual(1000, Int64(built, "ts")[1]);
        CollectionAssert.AreEqual(new long[] { 42, -9 }, Int64(built, "clicks")[..2]);
        Assert.AreEqual(1.5, ((Float64Column)Column(built, "score")).Values[0]);
        Assert.IsTrue(double.IsNaN(((Float64Column)Column(built, "score")).Values[1]));
        Assert.IsTrue(((BoolColumn)Column(built, "active")).Values[0]);
        Assert.IsFalse(((BoolColumn)Column(built, "active")).Values[1]);
        Assert.AreEqual("café \"x\"", Text(built, "name", 0));
        Assert.IsTrue(Column(built, "name").IsNull(1));
        CollectionAssert.AreEqual(new byte[] { 0, 1, 2, 255 }, ((BinaryColumn)Column(built, "blob")).Get(0).ToArray());
        Assert.IsTrue(Column(built, "blob").IsNull(1));
        Assert.AreEqual(1_700_000_000_000_000, Int64(built, "seen")[0]);
        Assert.AreEqual(TestEvents.Micros(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero)), Int64(built, "seen")[1]);
        Assert.AreEqual(ColumnType.Timestamp, Column(built, "seen").Type);
    }

    [TestMethod]
    public void TryAdd_PropertyMissing_TakesTheAttributeParsedToTheType()
    {
        var columns = new EventColumns(Schema, 4, publishTimeFallback: false);
        PubsubMessage message = TestEvents.Message(
            """{"clicks":1}""",
            ("user", "u-9"), ("ts", "2026-02-03T00:00:00Z"), ("clicks", "999"), ("score", "2.25"), ("active", "TRUE"), ("blob", "AQI="), ("seen", "5"));

        Assert.IsTrue(columns.TryAdd(message, out _, out string detail), detail);
        ColumnVector[] built = columns.Build();

        Assert.AreEqual("u-9", Text(built, "user", 0));
        Assert.AreEqual(TestEvents.Micros(new DateTimeOffset(2026, 2, 3, 0, 0, 0, TimeSpan.Zero)), Int64(built, "ts")[0]);
        Assert.AreEqual(1, Int64(built, "clicks")[0], "the JSON property wins over the attribute");
        Assert.AreEqual(2.25, ((Float64Column)Column(built, "score")).Values[0]);
        Assert.IsTrue(((BoolColumn)Column(built, "active")).Values[0]);
        CollectionAssert.AreEqual(new byte[] { 1, 2 }, ((BinaryColumn)Column(built, "blob")).Get(0).ToArray());
        Assert.AreEqual(5, Int64(built, "seen")[0]);
        Assert.IsTrue(Column(built, "name").IsNull(0), "neither property nor attribute: null");
    }

    [TestMethod]
    public void TryAdd_NoEventTimeWithFallback_TakesThePublishTime()
    {
        var columns = new EventColumns(Schema, 4, publishTimeFallback: true);

        Assert.IsTrue(columns.TryAdd(TestEvents.Message("""{"user":"u","ts":null}"""), out _, out _));
        Assert.IsTrue(columns.TryAdd(TestEvents.Message("""{"user":"v"}"""), out _, out _));
        ColumnVector[] built = columns.Build();

        long publish = TestEvents.Micros(TestEvents.PublishTime);
        CollectionAssert.AreEqual(new[] { publish, publish }, Int64(built, "ts")[..2]);
        Assert.IsFalse(Column(built, "ts").IsNull(0) || Column(built, "ts").IsNull(1));
    }

    [TestMethod]
    public void TryAdd_RepeatedProperty_LastOneWins()
    {
        var columns = new EventColumns(Schema, 4, publishTimeFallback: true);

        Assert.IsTrue(columns.TryAdd(TestEvents.Message("""{"user":"a","name":"first","name":"second","user":"b"}"""), out _, out _));
        ColumnVector[] built = columns.Build();

        Assert.AreEqual("b", Text(built, "user", 0));
        Assert.AreEqual("second", Text(built, "name", 0));
    }

    [TestMethod]
    [DataRow("not json", DeadLetterReason.Unparseable, "not a JSON object")]
    [DataRow("[1,2]", DeadLetterReason.Unparseable, "not a JSON object")]
    [DataRow("", DeadLetterReason.Unparseable, "empty")]
    [DataRow("""{"user":"u","ts":1""", DeadLetterReason.Unparseable, "not valid JSON")]
    [DataRow("""{"user":"u"} {"x":1}""", DeadLetterReason.Unparseable, "not valid JSON")]
    [DataRow("""{"ts":5,"clicks":1}""", DeadLetterReason.EmptyKey, "'user' is missing")]
    [DataRow("""{"user":null,"ts":5}""", DeadLetterReason.EmptyKey, "'user' is missing or null")]
    [DataRow("""{"user":"","ts":5}""", DeadLetterReason.EmptyKey, "empty")]
    [DataRow("""{"user":"u","clicks":"many"}""", DeadLetterReason.BadValue, "Field 'clicks' is the string \"many\"; expected Int64")]
    [DataRow("""{"user":"u","clicks":1.5}""", DeadLetterReason.BadValue, "Field 'clicks' is the number 1.5")]
    [DataRow("""{"user":"u","score":true}""", DeadLetterReason.BadValue, "Field 'score' is true; expected Float64")]
    [DataRow("""{"user":"u","active":"yes"}""", DeadLetterReason.BadValue, "Field 'active'")]
    [DataRow("""{"user":"u","name":42}""", DeadLetterReason.BadValue, "Field 'name' is the number 42; expected String")]
    [DataRow("""{"user":"u","blob":"%%%"}""", DeadLetterReason.BadValue, "expected Bytes (a base64 string)")]
    [DataRow("""{"user":"u","seen":"yesterday"}""", DeadLetterReason.BadValue, "Field 'seen' is the string \"yesterday\"; expected Timestamp")]
    [DataRow("""{"user":{"id":1}}""", DeadLetterReason.BadValue, "Field 'user' is an object")]
    [DataRow("""{"user":"u","ts":[1]}""", DeadLetterReason.BadValue, "Field 'ts' is an array")]
    public void TryAdd_Poison_RefusedWithReasonAndNothingAdded(string json, DeadLetterReason expected, string detailPart)
    {
        var columns = new EventColumns(Schema, 4, publishTimeFallback: true);
        Assert.IsTrue(columns.TryAdd(TestEvents.Message("""{"user":"before","clicks":1}"""), out _, out _));

        bool added = columns.TryAdd(TestEvents.Message(json), out DeadLetterReason reason, out string detail);

        Assert.IsFalse(added);
        Assert.AreEqual(expected, reason, detail);
        Assert.Contains(detailPart, detail);
        Assert.AreEqual(1, columns.Count);
        Assert.IsTrue(columns.TryAdd(TestEvents.Message("""{"user":"after","clicks":3}"""), out _, out _));
        ColumnVector[] built = columns.Build();
        Assert.IsTrue(built.All(c => c.Count == 2), "a refused message leaves no value in any column");
        Assert.AreEqual("after", Text(built, "user", 1));
        CollectionAssert.AreEqual(new long[] { 1, 3 }, Int64(built, "clicks")[..2]);
    }

    [TestMethod]
    public void TryAdd_BadAttribute_BadValueNamingTheAttribute()
    {
        var columns = new EventColumns(Schema, 4, publishTimeFallback: true);

        bool added = columns.TryAdd(TestEvents.Message("""{"user":"u"}""", ("clicks", "12x")), out DeadLetterReason reason, out string detail);

        Assert.IsFalse(added);
        Assert.AreEqual(DeadLetterReason.BadValue, reason);
        Assert.Contains("Attribute 'clicks' is '12x'", detail);
    }

    [TestMethod]
    public void TryAdd_NoEventTimeWithoutFallback_BadEventTime()
    {
        var columns = new EventColumns(Schema, 4, publishTimeFallback: false);

        bool added = columns.TryAdd(TestEvents.Message("""{"user":"u","clicks":1}"""), out DeadLetterReason reason, out string detail);

        Assert.IsFalse(added);
        Assert.AreEqual(DeadLetterReason.BadEventTime, reason);
        Assert.Contains("Event time 'ts' is missing", detail);
    }

    [TestMethod]
    public void TryAdd_InvalidUtf8InString_Refused()
    {
        var columns = new EventColumns(Schema, 4, publishTimeFallback: true);
        byte[] data = [.. System.Text.Encoding.UTF8.GetBytes("""{"user":"u","name":"""), (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'];
        var message = new PubsubMessage { Data = Google.Protobuf.ByteString.CopyFrom(data), PublishTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(TestEvents.PublishTime) };

        Assert.IsFalse(columns.TryAdd(message, out DeadLetterReason reason, out string detail));
        Assert.IsTrue(reason is DeadLetterReason.Unparseable or DeadLetterReason.BadValue, detail);
    }

    [TestMethod]
    public void From_FeatureReadsKeyColumn_KeyTakesTheFeatureType()
    {
        FeatureSetOptions featureSet = TestEvents.FeatureSet();
        featureSet.Features.Add(new FeatureOptions { Name = "user_id", Column = "user", Family = "f", Type = FeatureType.Int64 });

        EventSchema schema = EventSchema.From(featureSet);

        Assert.AreEqual(ColumnType.Int64, schema.Types[schema.Schema.IndexOf("user")]);
    }

    [TestMethod]
    public void From_TwoTypesForOneColumn_NamesTheConflict()
    {
        FeatureSetOptions featureSet = TestEvents.FeatureSet();
        featureSet.Features.Add(new FeatureOptions { Name = "clicks_text", Column = "clicks", Family = "f", Type = FeatureType.String });

        var e = Assert.ThrowsExactly<ArgumentException>(() => EventSchema.From(featureSet));

        Assert.Contains("Column 'clicks' is read as Int64 by feature 'clicks' and as String by feature 'clicks_text'", e.Message);
    }

    private static ColumnVector Column(ColumnVector[] built, string name) => built[Schema.Schema.IndexOf(name)];

    private static long[] Int64(ColumnVector[] built, string name) => ((Int64Column)Column(built, name)).Values;

    private static string Text(ColumnVector[] built, string name, int row) => System.Text.Encoding.UTF8.GetString(((BinaryColumn)Column(built, name)).Get(row));
}
