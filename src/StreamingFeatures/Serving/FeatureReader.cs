using Google.Protobuf;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Resilience;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.Serving;

/// <summary>
/// Reads a feature set's features back by entity: for a batch of entity keys, an optional list of features and an
/// optional as-of time, each feature's typed value, status and event time. Row keys are the writers' own
/// (<see cref="RowKeyFormat"/>); the feature set's max age (its families' TTL) is enforced at read time against the
/// as-of time, which works because cell timestamps are event times. Keys are sorted, deduplicated and read in
/// concurrent sub-batches, one ReadRows each, retried and resumed after the last row received. Thread-safe.
/// </summary>
public sealed partial class FeatureReader
{
    private readonly BigtableTarget _target;
    private readonly FeatureSetOptions _featureSet;
    private readonly FeatureReaderOptions _options;
    private readonly TimeProvider _time;
    private readonly ServingMetrics? _metrics;
    private readonly RowKeyFormat _keys;
    private readonly ServedFeature[] _features;
    private readonly Dictionary<string, int> _byName;
    private readonly string[] _families;
    private readonly ReadSelection _all;
    private readonly BigtableClient _client;
    private readonly CallRetry _retry;
    private readonly KeyValuePair<string, object?> _tableTag;

    /// <param name="target">The feature set's table (its app profile, if any, routes the reads).</param>
    /// <param name="featureSet">The feature set the table was written with, already validated.</param>
    /// <param name="options">Batching, deadline and retries; validated here.</param>
    /// <param name="time">The clock of deadlines, backoff and the default as-of time.</param>
    /// <param name="metrics">Where to record latency, keys and statuses; none when null.</param>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    /// <exception cref="NotSupportedException">The feature set keys rows by time (<c>reversedTimeSuffix</c>): one row per event, not per entity.</exception>
    public FeatureReader(BigtableTarget target, FeatureSetOptions featureSet, FeatureReaderOptions? options = null, TimeProvider? time = null, ServingMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(featureSet);
        options ??= new FeatureReaderOptions();
        options.Validate();
        if (featureSet.RowKey.ReversedTimeSuffix)
        {
            throw new NotSupportedException($"Feature set of table '{featureSet.Table}' has rowKey.reversedTimeSuffix: its rows are a time series per entity, which the feature reader does not read (one row per entity only).");
        }

        _target = target;
        _featureSet = featureSet;
        _options = options;
        _time = time ?? TimeProvider.System;
        _metrics = metrics;
        _keys = new RowKeyFormat(featureSet.RowKey);
        _features = [.. featureSet.Features.Select(f => ServedFeature.From(f, featureSet))];
        _byName = _features.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        _families = [.. _features.Select(f => f.Family).Distinct(StringComparer.Ordinal)];
        _all = new ReadSelection(_features, _families);
        _client = new BigtableClient(target.Invoker);
        // A read is idempotent: a stream the server reset (CANCELLED while the caller had not cancelled, as the
        // emulator and proxies do when an attempt's deadline passes on their side) is read again too.
        _retry = new CallRetry(options.Retry, _time, e => TransientErrors.IsTransient(e) || e is RpcException { StatusCode: StatusCode.Cancelled });
        _tableTag = new("table", target.TableId);
    }

    /// <summary>A reader of <paramref name="featureSet"/>'s table on <paramref name="connection"/>, through its app profile.</summary>
    public static FeatureReader Create(BigtableConnection connection, FeatureSetOptions featureSet, FeatureReaderOptions? options = null, TimeProvider? time = null, ServingMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(featureSet);
        return new FeatureReader(connection.Target(featureSet.Table), featureSet, options, time, metrics);
    }

    /// <summary>Every feature of the feature set, in its order: what a read without a feature list returns.</summary>
    public IReadOnlyList<string> FeatureNames => _all.Names;

    public FeatureReaderOptions Options => _options;

    /// <summary>The feature set's <c>entityKey</c> columns, in the order an <see cref="EntityKey"/>'s parts follow.</summary>
    public IReadOnlyList<string> EntityKeyColumns => _featureSet.EntityKey;

    /// <summary>The row key the writers gave <paramref name="entity"/>.</summary>
    /// <exception cref="ArgumentException">The key has the wrong number of parts, or its row key would pass Bigtable's 4 KiB.</exception>
    public ByteString RowKeyOf(EntityKey entity)
    {
        if (entity.Parts.Count != _featureSet.EntityKey.Count)
        {
            throw new ArgumentException($"Entity '{entity}' has {entity.Parts.Count} part(s); the feature set's entity key has {_featureSet.EntityKey.Count} ({string.Join(", ", _featureSet.EntityKey)}).", nameof(entity));
        }

        byte[] key = _keys.ForEntity(entity.Parts);
        return key.Length <= RowKeyFormat.MaxKeyBytes
            ? UnsafeByteOperations.UnsafeWrap(key)
            : throw new ArgumentException($"Entity '{entity.ToString()[..Math.Min(64, entity.ToString().Length)]}' makes a {key.Length}-byte row key; Bigtable allows at most {RowKeyFormat.MaxKeyBytes}.", nameof(entity));
    }

    private ReadSelection Select(IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0)
        {
            return _all;
        }

        var selected = new ServedFeature[names.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            selected[i] = _byName.TryGetValue(names[i], out int index)
                ? _features[index]
                : throw new ArgumentException($"features[{i}] is '{names[i]}', which feature set of table '{_featureSet.Table}' does not have; it has: {string.Join(", ", _features.Select(f => f.Name))}.", nameof(names));
            if (!seen.Add(names[i]))
            {
                throw new ArgumentException($"features[{i}] is '{names[i]}' again; name each feature once.", nameof(names));
            }
        }

        return new ReadSelection(selected, _families);
    }
}
