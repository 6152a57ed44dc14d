using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using StreamingFeatures.Cli.Get;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Cli.Serve.Feast;

/// <summary>
/// Writes answers the way Feast's feature server does: <c>MessageToDict(GetOnlineFeaturesResponse,
/// preserving_proto_field_name=True)</c> after Feast's <c>proto_json.patch()</c>, which prints each <c>Value</c> as its
/// bare content. So int64 values are JSON numbers (not proto3 JSON's strings), an unset value is null, a timestamp
/// feature (Feast's <c>unix_timestamp_val</c>) is whole seconds since the epoch, and event timestamps are protobuf
/// Timestamp JSON: RFC 3339 UTC with 0, 3, 6 or 9 fractional digits, <c>1970-01-01T00:00:00Z</c> when there is none.
/// </summary>
internal static class FeastJson
{
    /// <summary>Feast's event timestamp of a value that has none, and of every entity column.</summary>
    public const string NoTime = "1970-01-01T00:00:00Z";

    // Text as is (quotes in messages, non-ASCII names), as Feast's FastAPI JSONResponse writes it (ensure_ascii=False);
    // the body is JSON for programs, never HTML, so the HTML-safe escaping of the default encoder buys nothing.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>{"metadata": {"feature_names": [...]}, "results": [{"values", "statuses", "event_timestamps"}, ...]}</c>, one result per column.</summary>
    public static void WriteAnswer(IBufferWriter<byte> output, FeastAnswer answer)
    {
        using var json = new Utf8JsonWriter(output, Options);
        json.WriteStartObject();
        json.WriteStartObject("metadata");
        json.WriteStartArray("feature_names");
        foreach (FeastEntityColumn entity in answer.Entities)
        {
            json.WriteStringValue(entity.Name);
        }

        foreach (FeastFeatureColumn feature in answer.Features)
        {
            json.WriteStringValue(feature.Name);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartArray("results");
        foreach (FeastEntityColumn entity in answer.Entities)
        {
            WriteEntityColumn(json, entity);
        }

        foreach (FeastFeatureColumn feature in answer.Features)
        {
            WriteFeatureColumn(json, feature);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Feast's error detail: <c>{"module", "class", "message"}</c> (what <c>FeastError.to_error_detail()</c> holds).</summary>
    public static void WriteError(IBufferWriter<byte> output, FeastException error)
    {
        using var json = new Utf8JsonWriter(output, Options);
        json.WriteStartObject();
        json.WriteString("module", "streamingfeatures.serve.feast");
        json.WriteString("class", error.ErrorClass);
        json.WriteString("message", error.Message);
        json.WriteEndObject();
    }

    /// <summary>A protobuf Timestamp's JSON text: RFC 3339 UTC, fractional digits only as many groups of 3 as needed.</summary>
    public static string Timestamp(DateTimeOffset time)
    {
        DateTime utc = time.UtcDateTime;
        long fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        string format = fraction == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'"
            : fraction % TimeSpan.TicksPerMillisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'"
            : fraction % TimeSpan.TicksPerMicrosecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"
            : "yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>A feature value as Feast prints it; NaN and infinities as proto3 JSON's strings, JSON having no such numbers.</summary>
    public static void WriteValue(Utf8JsonWriter json, FeatureValue value)
    {
        if (!value.HasValue)
        {
            json.WriteNullValue();
            return;
        }

        switch (value.Type)
        {
            case FeatureType.Int64: json.WriteNumberValue(value.AsInt64()); break;
            case FeatureType.Float64 when double.IsFinite(value.AsFloat64()): json.WriteNumberValue(value.AsFloat64()); break;
            case FeatureType.Float64: json.WriteStringValue(double.IsNaN(value.AsFloat64()) ? "NaN" : value.AsFloat64() > 0 ? "Infinity" : "-Infinity"); break;
            case FeatureType.Bool: json.WriteBooleanValue(value.AsBool()); break;
            case FeatureType.String: json.WriteStringValue(value.AsString()); break;
            case FeatureType.Bytes: json.WriteBase64StringValue(value.AsBytes().Span); break;
            default: json.WriteNumberValue(Math.DivRem(value.AsTimestampMicros(), 1_000_000, out long rest) - (rest < 0 ? 1 : 0)); break;
        }
    }

    private static void WriteEntityColumn(Utf8JsonWriter json, FeastEntityColumn entity)
    {
        json.WriteStartObject();
        json.WriteStartArray("values");
        foreach (JsonElement value in entity.Values)
        {
            value.WriteTo(json);
        }

        json.WriteEndArray();
        WriteRepeated(json, "statuses", "PRESENT", entity.Values.Length);
        WriteRepeated(json, "event_timestamps", NoTime, entity.Values.Length);
        json.WriteEndObject();
    }

    private static void WriteFeatureColumn(Utf8JsonWriter json, FeastFeatureColumn feature)
    {
        IReadOnlyList<EntityFeatures> entities = feature.Read.Entities;
        json.WriteStartObject();
        json.WriteStartArray("values");
        foreach (EntityFeatures entity in entities)
        {
            WriteValue(json, entity.Features[feature.Index].Value);
        }

        json.WriteEndArray();
        json.WriteStartArray("statuses");
        foreach (EntityFeatures entity in entities)
        {
            json.WriteStringValue(GetOutput.StatusName(entity.Features[feature.Index].Status));
        }

        json.WriteEndArray();
        json.WriteStartArray("event_timestamps");
        foreach (EntityFeatures entity in entities)
        {
            json.WriteStringValue(entity.Features[feature.Index].EventTime is { } time ? Timestamp(time) : NoTime);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRepeated(Utf8JsonWriter json, string name, string text, int count)
    {
        json.WriteStartArray(name);
        for (int i = 0; i < count; i++)
        {
            json.WriteStringValue(text);
        }

        json.WriteEndArray();
    }
}
