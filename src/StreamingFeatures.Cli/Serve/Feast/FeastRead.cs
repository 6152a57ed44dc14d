using StreamingFeatures.Serving;

namespace StreamingFeatures.Cli.Serve.Feast;

/// <summary>One feature column of the answer: its name as Feast prints it and where its values are in its view's read.</summary>
internal sealed record FeastFeatureColumn(string Name, FeatureReadResult Read, int Index);

/// <summary>The answer's columns in Feast's order: the entity columns first (as sent), then the features as requested.</summary>
internal sealed record FeastAnswer(IReadOnlyList<FeastEntityColumn> Entities, IReadOnlyList<FeastFeatureColumn> Features);

/// <summary>
/// Answers a <see cref="FeastRequest"/>: each feature view (a served feature set) is resolved and its entity key
/// columns matched before anything is read, then read once (one <see cref="FeatureReader.ReadAsync"/> per view, the
/// views concurrently) and merged in the requested order.
/// </summary>
internal static class FeastRead
{
    /// <exception cref="FeastException">An unknown view (404), feature or entity column (400).</exception>
    /// <exception cref="TimeoutException">A read passed its deadline.</exception>
    /// <exception cref="Resilience.CallGaveUpException">Bigtable stayed unavailable through the retries.</exception>
    public static async Task<FeastAnswer> RunAsync(FeastRequest request, Func<string, FeatureReader?> readerOf, CancellationToken cancellationToken)
    {
        var views = new Dictionary<string, (FeatureReader Reader, List<string> Features)>(StringComparer.Ordinal);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var columns = new (string View, string Name, int Index)[request.Features.Count];
        for (int i = 0; i < request.Features.Count; i++)
        {
            (string view, string feature) = request.Features[i];
            string field = $"features[{i}] is \"{view}:{feature}\"";
            if (!views.TryGetValue(view, out var served))
            {
                FeatureReader reader = readerOf(view) ?? throw FeastException.UnknownView($"{field}: feature view '{view}' is not served here (a feature view is a served feature set, named by its table).");
                served = views[view] = (reader, []);
            }

            if (!served.Reader.FeatureNames.Contains(feature, StringComparer.Ordinal))
            {
                throw FeastException.BadRequest($"{field}: feature view '{view}' has no feature '{feature}'; allowed: {string.Join(", ", served.Reader.FeatureNames)}.");
            }

            if (served.Features.Contains(feature, StringComparer.Ordinal))
            {
                throw FeastException.BadRequest($"{field} again; allowed: each feature once.");
            }

            string name = request.FullFeatureNames ? $"{view}__{feature}" : feature;
            if (!names.TryAdd(name, i))
            {
                throw FeastException.BadRequest($"{field}: its name '{name}' is also features[{names[name]}]'s; set \"full_feature_names\": true to name features view__feature.");
            }

            columns[i] = (view, name, served.Features.Count);
            served.Features.Add(feature);
        }

        CheckEntityColumns(request, views.ToDictionary(v => v.Key, v => v.Value.Reader.EntityKeyColumns, StringComparer.Ordinal));
        string[] order = [.. views.Keys];
        FeatureReadResult[] reads = await Task.WhenAll(order.Select(view => ReadViewAsync(request, views[view].Reader, views[view].Features, cancellationToken))).ConfigureAwait(false);
        var byView = order.Select((view, i) => (view, i)).ToDictionary(x => x.view, x => reads[x.i], StringComparer.Ordinal);
        return new FeastAnswer(request.Entities, [.. columns.Select(c => new FeastFeatureColumn(c.Name, byView[c.View], c.Index))]);
    }

    /// <summary>Every view's entity key columns are given, and every column given keys some view.</summary>
    private static void CheckEntityColumns(FeastRequest request, Dictionary<string, IReadOnlyList<string>> keysOf)
    {
        foreach ((string view, IReadOnlyList<string> keys) in keysOf)
        {
            string? missing = keys.FirstOrDefault(key => !request.Entities.Any(c => c.Name == key));
            if (missing is not null)
            {
                throw FeastException.BadRequest($"entities has no '{missing}'; feature view '{view}' is keyed by ({string.Join(", ", keys)}): give each of its entity key columns.");
            }
        }

        FeastEntityColumn? unused = request.Entities.FirstOrDefault(c => !keysOf.Values.Any(keys => keys.Contains(c.Name, StringComparer.Ordinal)));
        if (unused is not null)
        {
            string allowed = string.Join(", ", keysOf.Values.SelectMany(k => k).Distinct(StringComparer.Ordinal));
            throw FeastException.BadRequest($"entities.{unused.Name} is not an entity key column of the requested feature views; allowed: {allowed}.");
        }
    }

    private static async Task<FeatureReadResult> ReadViewAsync(FeastRequest request, FeatureReader reader, List<string> features, CancellationToken cancellationToken)
    {
        FeastEntityColumn[] parts = [.. reader.EntityKeyColumns.Select(key => request.Entities.First(c => c.Name == key))];
        var entities = new EntityKey[request.EntityCount];
        for (int i = 0; i < entities.Length; i++)
        {
            entities[i] = parts.Length == 1 ? new EntityKey(parts[0].Keys[i]) : new EntityKey([.. parts.Select(p => p.Keys[i])]);
        }

        try
        {
            return await reader.ReadAsync(entities, features, asOf: null, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            // Too many entities, or a key too long for Bigtable: the reader's message names the value and the limit.
            throw FeastException.BadRequest(e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : e.Message);
        }
    }
}
