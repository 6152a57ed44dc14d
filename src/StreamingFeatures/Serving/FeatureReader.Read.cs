using System.Diagnostics;
using Google.Protobuf;

namespace StreamingFeatures.Serving;

public sealed partial class FeatureReader
{
    /// <summary>
    /// Reads <paramref name="features"/> (default: all) of <paramref name="entities"/> as of <paramref name="asOf"/>
    /// (default: now). Every entity is answered, in request order, duplicates included.
    /// </summary>
    /// <exception cref="ArgumentException">More keys than <see cref="FeatureReaderOptions.MaxBatchKeys"/>, an unknown or repeated feature, a bad entity key.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="asOf"/> is before the Unix epoch.</exception>
    /// <exception cref="TimeoutException">The read passed <see cref="FeatureReaderOptions.Timeout"/>.</exception>
    /// <exception cref="Resilience.CallGaveUpException">Bigtable stayed unavailable through the retries.</exception>
    /// <exception cref="Grpc.Core.RpcException">Bigtable refused the read (no such table, permission denied).</exception>
    public async Task<FeatureReadResult> ReadAsync(IReadOnlyList<EntityKey> entities, IReadOnlyList<string>? features = null, DateTimeOffset? asOf = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entities);
        if (entities.Count > _options.MaxBatchKeys)
        {
            throw new ArgumentException($"entities holds {entities.Count} keys; allowed at most {_options.MaxBatchKeys} per read (FeatureReaderOptions.MaxBatchKeys).", nameof(entities));
        }

        DateTimeOffset time = asOf ?? _time.GetUtcNow();
        if (time < DateTimeOffset.UnixEpoch)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), asOf, "asOf is before 1970-01-01T00:00:00Z; cell timestamps start there.");
        }

        ReadSelection selected = Select(features);
        (ByteString[] keys, int[] indexOf) = SortedKeys(entities);
        long started = _time.GetTimestamp();
        string outcome = "error";
        try
        {
            FeatureResult[]?[] rows = await ReadKeysAsync(keys, selected, ReadFilter.AsOfMicros(time), cancellationToken).ConfigureAwait(false);
            IReadOnlyList<FeatureResult> missing = selected.Missing;
            var results = new EntityFeatures[entities.Count];
            for (int i = 0; i < results.Length; i++)
            {
                results[i] = new EntityFeatures(entities[i], rows[indexOf[i]] ?? missing);
            }

            Record(results);
            outcome = "ok";
            return new FeatureReadResult(selected.Names, results, time);
        }
        catch (TimeoutException)
        {
            outcome = "timeout";
            throw;
        }
        finally
        {
            _metrics?.ReadDuration.Record(_time.GetElapsedTime(started).TotalSeconds, _tableTag, new("outcome", outcome));
        }
    }

    /// <summary>The distinct row keys in Bigtable's order, and for each entity its key's index there.</summary>
    private (ByteString[] Keys, int[] IndexOf) SortedKeys(IReadOnlyList<EntityKey> entities)
    {
        if (entities.Count == 1)
        {
            return ([RowKeyOf(entities[0])], [0]);
        }

        var rowKeys = new ByteString[entities.Count];
        var distinct = new Dictionary<ByteString, int>(entities.Count);
        for (int i = 0; i < entities.Count; i++)
        {
            rowKeys[i] = RowKeyOf(entities[i]);
            distinct.TryAdd(rowKeys[i], 0);
        }

        ByteString[] keys = [.. distinct.Keys];
        Array.Sort(keys, static (a, b) => a.Span.SequenceCompareTo(b.Span));
        for (int i = 0; i < keys.Length; i++)
        {
            distinct[keys[i]] = i;
        }

        int[] indexOf = new int[entities.Count];
        for (int i = 0; i < indexOf.Length; i++)
        {
            indexOf[i] = distinct[rowKeys[i]];
        }

        return (keys, indexOf);
    }

    private void Record(EntityFeatures[] results)
    {
        if (_metrics is null)
        {
            return;
        }

        _metrics.Keys.Add(results.Length, _tableTag);
        _metrics.BatchKeys.Record(results.Length, _tableTag);
        Span<long> counts = stackalloc long[4];
        foreach (EntityFeatures entity in results)
        {
            foreach (FeatureResult feature in entity.Features)
            {
                counts[(int)feature.Status]++;
            }
        }

        for (int status = 0; status < counts.Length; status++)
        {
            if (counts[status] > 0)
            {
                _metrics.Features.Add(counts[status], _tableTag, new("status", StatusTag((FeatureStatus)status)));
            }
        }
    }

    private static string StatusTag(FeatureStatus status) => status switch
    {
        FeatureStatus.Present => "present",
        FeatureStatus.NullValue => "null_value",
        FeatureStatus.NotFound => "not_found",
        FeatureStatus.OutsideMaxAge => "outside_max_age",
        _ => throw new UnreachableException(),
    };
}
