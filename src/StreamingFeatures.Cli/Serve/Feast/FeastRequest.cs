using System.Globalization;
using System.Text.Json;

namespace StreamingFeatures.Cli.Serve.Feast;

/// <summary>A feature as Feast names it in a request: <c>"feature_view:feature"</c>; the view is a served feature set (its table).</summary>
internal readonly record struct FeastFeatureRef(string View, string Feature);

/// <summary>
/// One entity column of a request, in the order given: its values as sent (echoed in the response, as Feast does) and
/// as the entity key text the writers key rows by (an int64 column's decimal digits, a string as is).
/// </summary>
internal sealed record FeastEntityColumn(string Name, JsonElement[] Values, string[] Keys);

/// <summary>
/// Feast's <c>POST /get-online-features</c> body: <c>{"features": ["view:feature", ...], "entities": {"driver_id":
/// [1001, 1002]}, "full_feature_names": false}</c>, checked whole before any read. Feature services are refused: a
/// feature service lives in a Feast registry, which this server does not have.
/// </summary>
internal sealed record FeastRequest(IReadOnlyList<FeastFeatureRef> Features, IReadOnlyList<FeastEntityColumn> Entities, bool FullFeatureNames)
{
    /// <summary>How many entities the request asks for (every entity column has this many values).</summary>
    public int EntityCount => Entities[0].Keys.Length;

    /// <summary>The request in <paramref name="body"/>; its values refer to the document, which must outlive the request.</summary>
    /// <exception cref="FeastException">HTTP 400, naming the field, its value and what is allowed.</exception>
    public static FeastRequest Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw FeastException.BadRequest($"The request body is a JSON {Kind(body)}; allowed: an object with \"features\" and \"entities\".");
        }

        if (body.TryGetProperty("feature_service", out JsonElement service) && service.ValueKind != JsonValueKind.Null)
        {
            throw FeastException.BadRequest($"feature_service is {Shown(service)}; feature services are not supported (this server has no Feast registry): list the features as \"feature_view:feature\" in \"features\".");
        }

        bool fullNames = false;
        if (body.TryGetProperty("full_feature_names", out JsonElement full) && full.ValueKind != JsonValueKind.Null)
        {
            fullNames = full.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw FeastException.BadRequest($"full_feature_names is {Shown(full)}; allowed: true or false."),
            };
        }

        return new FeastRequest(ParseFeatures(body), ParseEntities(body), fullNames);
    }

    private static FeastFeatureRef[] ParseFeatures(JsonElement body)
    {
        if (!body.TryGetProperty("features", out JsonElement features) || features.ValueKind != JsonValueKind.Array || features.GetArrayLength() == 0)
        {
            throw FeastException.BadRequest($"features is {(body.TryGetProperty("features", out JsonElement given) ? Shown(given) : "missing")}; allowed: a non-empty array of \"feature_view:feature\" strings.");
        }

        var refs = new FeastFeatureRef[features.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in features.EnumerateArray())
        {
            string? text = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            int colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (text is null || colon <= 0 || colon == text.Length - 1 || text.IndexOf(':', colon + 1) >= 0)
            {
                throw FeastException.BadRequest($"features[{i}] is {Shown(item)}; allowed: \"feature_view:feature\" (one colon, both names non-empty).");
            }

            refs[i++] = new FeastFeatureRef(text[..colon], text[(colon + 1)..]);
        }

        return refs;
    }

    private static FeastEntityColumn[] ParseEntities(JsonElement body)
    {
        if (!body.TryGetProperty("entities", out JsonElement entities) || entities.ValueKind != JsonValueKind.Object || !entities.EnumerateObject().Any())
        {
            throw FeastException.BadRequest($"entities is {(body.TryGetProperty("entities", out JsonElement given) ? Shown(given) : "missing")}; allowed: an object of entity key columns, each an array of values, e.g. {{\"driver_id\": [1001, 1002]}}.");
        }

        var columns = new List<FeastEntityColumn>();
        foreach (JsonProperty column in entities.EnumerateObject())
        {
            string field = "entities." + column.Name;
            if (column.Value.ValueKind != JsonValueKind.Array || column.Value.GetArrayLength() == 0)
            {
                throw FeastException.BadRequest($"{field} is {Shown(column.Value)}; allowed: a non-empty array of entity values (integers or strings).");
            }

            JsonElement[] values = [.. column.Value.EnumerateArray()];
            if (columns.Count > 0 && values.Length != columns[0].Values.Length)
            {
                throw FeastException.BadRequest($"{field} has {values.Length} value(s); allowed: as many as entities.{columns[0].Name} ({columns[0].Values.Length}): every entity column gives one value per entity.");
            }

            if (columns.Exists(c => c.Name == column.Name))
            {
                throw FeastException.BadRequest($"{field} is given twice; allowed: each entity column once.");
            }

            columns.Add(new FeastEntityColumn(column.Name, values, [.. values.Select((v, i) => KeyText(v, $"{field}[{i}]"))]));
        }

        return [.. columns];
    }

    /// <summary>An entity value as the writers key it: an int64 in invariant decimal digits (how the pipeline formats an INT64 key column), a string as is.</summary>
    private static string KeyText(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out long number) => number.ToString(CultureInfo.InvariantCulture),
        JsonValueKind.String when value.GetString() is { Length: > 0 } text => text,
        _ => throw FeastException.BadRequest($"{field} is {Shown(value)}; allowed: an integer (int64) or a non-empty string."),
    };

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();

    /// <summary>A value for a message: its JSON text, cut at 64 characters.</summary>
    private static string Shown(JsonElement value)
    {
        string text = value.GetRawText();
        return text.Length <= 64 ? text : text[..64] + "…";
    }
}
