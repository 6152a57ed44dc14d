using System.Buffers;
using System.Text;
using System.Text.Json;
using StreamingFeatures.Cli.Serve.Feast;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Tests.Serve;

/// <summary>
/// Values as Feast's feature server prints them: <c>MessageToDict(response.proto, preserving_proto_field_name=True,
/// float_precision=18)</c> after <c>proto_json.patch()</c>, whose Value printer returns <c>getattr(message, which)</c>,
/// the bare Python value (sdk/python/feast/proto_json.py). So an int64 is a JSON number (proto3 JSON would print a
/// string), a unix_timestamp_val is its whole seconds, and an unset Value is null.
/// </summary>
[TestClass]
public sealed class FeastJsonTests
{
    [TestMethod]
    public void WriteValue_EveryType_AsFeastPrintsIt()
    {
        Assert.AreEqual("9223372036854775807", Value(FeatureValue.Int64(long.MaxValue)), "int64 as a JSON number, all its digits");
        Assert.AreEqual("-308", Value(FeatureValue.Int64(-308)));
        Assert.AreEqual("0.7037263512611389", Value(FeatureValue.Float64(0.7037263512611389)), "the documented example's conv_rate, round-tripped");
        Assert.AreEqual("1E+300", Value(FeatureValue.Float64(1e300)));
        Assert.AreEqual("\"NaN\"", Value(FeatureValue.Float64(double.NaN)), "JSON has no NaN: proto3 JSON's string");
        Assert.AreEqual("\"-Infinity\"", Value(FeatureValue.Float64(double.NegativeInfinity)));
        Assert.AreEqual("true", Value(FeatureValue.Bool(true)));
        Assert.AreEqual("\"déjà \\\"q\\\"\"", Value(FeatureValue.String("déjà \"q\"")));
        Assert.AreEqual("\"AAH/\"", Value(FeatureValue.Bytes(new byte[] { 0, 1, 255 })), "bytes in base64, as protobuf JSON writes bytes");
        Assert.AreEqual("1767225600", Value(FeatureValue.Timestamp(1_767_225_600_999_999)), "a timestamp as Feast's unix_timestamp_val: whole seconds");
        Assert.AreEqual("-1", Value(FeatureValue.Timestamp(-1)), "before the epoch rounds down, as seconds of a floor");
        Assert.AreEqual("null", Value(default), "no value (NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE)");
    }

    [TestMethod]
    [DataRow(0L, "1970-01-01T00:00:00Z")]
    [DataRow(1_767_225_600_000_000L, "2026-01-01T00:00:00Z")]
    [DataRow(1_767_225_600_120_000L, "2026-01-01T00:00:00.120Z")]
    [DataRow(1_767_225_600_123_456L, "2026-01-01T00:00:00.123456Z")]
    public void Timestamp_EventTime_AsProtobufTimestampJson(long micros, string expected)
    {
        Assert.AreEqual(expected, FeastJson.Timestamp(DateTimeOffset.UnixEpoch.AddTicks(micros * 10)));
    }

    [TestMethod]
    public void Timestamp_HundredNanoseconds_NineDigits()
    {
        Assert.AreEqual("2026-01-01T00:00:00.000000100Z", FeastJson.Timestamp(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1)));
    }

    [TestMethod]
    public void WriteError_NotFoundView_FeastErrorDetail()
    {
        var output = new ArrayBufferWriter<byte>();

        FeastJson.WriteError(output, FeastException.UnknownView("no view"));

        using JsonDocument body = JsonDocument.Parse(output.WrittenMemory);
        Assert.AreEqual("FeatureViewNotFoundException", body.RootElement.GetProperty("class").GetString());
        Assert.AreEqual("no view", body.RootElement.GetProperty("message").GetString());
        Assert.AreEqual("streamingfeatures.serve.feast", body.RootElement.GetProperty("module").GetString());
    }

    private static string Value(FeatureValue value)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            FeastJson.WriteValue(json, value);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
