using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Cli.Get;

/// <summary>A read's answer for people (aligned lines) or programs (one JSON object, typed values).</summary>
internal static class GetOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// <c>{"table", "asOf", "features": [...], "entities": [{"entity", "features": {name: {"status", "value", "eventTime"}}}]}</c>:
    /// int64 and finite float64 as JSON numbers, bools as booleans, bytes base64, timestamps RFC 3339; value and event
    /// time only where the status has them.
    /// </summary>
    public static void WriteJson(TextWriter output, string table, FeatureReadResult result)
    {
        var entities = new JsonArray();
        foreach (EntityFeatures entity in result.Entities)
        {
            var features = new JsonObject();
            for (int i = 0; i < result.FeatureNames.Count; i++)
            {
                FeatureResult feature = entity.Features[i];
                var item = new JsonObject { ["status"] = StatusName(feature.Status) };
                if (feature.Value.HasValue)
                {
                    item["value"] = Json(feature.Value);
                }

                if (feature.EventTime is { } time)
                {
                    item["eventTime"] = Time(time);
                }

                features[result.FeatureNames[i]] = item;
            }

            entities.Add(new JsonObject { ["entity"] = entity.Entity.ToString(), ["features"] = features });
        }

        var root = new JsonObject
        {
            ["table"] = table,
            ["asOf"] = Time(result.AsOf),
            ["features"] = new JsonArray([.. result.FeatureNames.Select(name => (JsonNode?)JsonValue.Create(name))]),
            ["entities"] = entities,
        };
        output.WriteLine(root.ToJsonString(Indented));
    }

    /// <summary>A header, then a line per entity and feature: entity, feature, status, value, event time.</summary>
    public static void WriteTable(TextWriter output, string table, FeatureReadResult result)
    {
        output.WriteLine($"Table '{table}' as of {Time(result.AsOf)}:");
        var lines = new List<string[]> { new[] { "ENTITY", "FEATURE", "STATUS", "VALUE", "EVENT TIME" } };
        foreach (EntityFeatures entity in result.Entities)
        {
            for (int i = 0; i < result.FeatureNames.Count; i++)
            {
                FeatureResult feature = entity.Features[i];
                lines.Add([entity.Entity.ToString(), result.FeatureNames[i], StatusName(feature.Status), Text(feature.Value), feature.EventTime is { } time ? Time(time) : "-"]);
            }
        }

        int[] widths = [.. Enumerable.Range(0, 5).Select(column => lines.Max(line => line[column].Length))];
        foreach (string[] line in lines)
        {
            output.WriteLine(string.Join("  ", line.Select((cell, column) => column == line.Length - 1 ? cell : cell.PadRight(widths[column]))).TrimEnd());
        }
    }

    /// <summary>Feast's status names.</summary>
    public static string StatusName(FeatureStatus status) => status switch
    {
        FeatureStatus.Present => "PRESENT",
        FeatureStatus.NullValue => "NULL_VALUE",
        FeatureStatus.NotFound => "NOT_FOUND",
        _ => "OUTSIDE_MAX_AGE",
    };

    private static JsonNode? Json(FeatureValue value) => value.Type switch
    {
        FeatureType.Int64 => JsonValue.Create(value.AsInt64()),
        FeatureType.Float64 when double.IsFinite(value.AsFloat64()) => JsonValue.Create(value.AsFloat64()),
        FeatureType.Bool => JsonValue.Create(value.AsBool()),
        _ => JsonValue.Create(value.ToString()),
    };

    private static string Text(FeatureValue value) => !value.HasValue ? "-" : value.Type switch
    {
        FeatureType.String => "\"" + value.AsString() + "\"",
        FeatureType.Bytes => "base64:" + value,
        _ => value.ToString(),
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
