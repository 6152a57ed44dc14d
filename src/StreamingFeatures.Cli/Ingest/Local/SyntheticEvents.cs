using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Google.Cloud.PubSub.V1;
using Google.Protobuf;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Cli.Ingest.Local;

/// <summary>
/// Synthetic JSON events that fit a feature set, one per message: the entity key over a key space
/// (<c>user-0000000042</c>, as the synthetic source names entities), the event time now (RFC 3339, milliseconds),
/// and a random value of its type for every feature.
/// </summary>
internal sealed class SyntheticEvents
{
    private readonly FeatureSetOptions _featureSet;
    private readonly (string Column, FeatureType Type)[] _features;
    private readonly long _keySpace;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public SyntheticEvents(FeatureSetOptions featureSet, long keySpace, TimeProvider time, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(featureSet);
        ArgumentOutOfRangeException.ThrowIfLessThan(keySpace, 1);
        _featureSet = featureSet;
        _keySpace = keySpace;
        _time = time;
        _random = new Random(seed);

        // A column read by several features, or by the key or the event time, is written once.
        var columns = new HashSet<string>(featureSet.EntityKey, StringComparer.Ordinal) { featureSet.EventTime };
        _features = [.. featureSet.Features.Where(f => columns.Add(f.SourceColumn)).Select(f => (f.SourceColumn, f.Type))];
    }

    /// <summary>The next event, for entity <c>user-N</c> with N uniform over the key space.</summary>
    public PubsubMessage Next()
    {
        long entity = _random.NextInt64(_keySpace);
        string now = _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            json.WriteStartObject();
            for (int k = 0; k < _featureSet.EntityKey.Count; k++)
            {
                // Composite keys: the first part names the entity, the others are derived from it.
                json.WriteString(_featureSet.EntityKey[k], k == 0 ? SyntheticSource.EntityId(entity) : string.Create(CultureInfo.InvariantCulture, $"k{k}-{entity % 100}"));
            }

            json.WriteString(_featureSet.EventTime, now);
            foreach ((string column, FeatureType type) in _features)
            {
                json.WritePropertyName(column);
                WriteValue(json, type, now);
            }

            json.WriteEndObject();
        }

        return new PubsubMessage { Data = ByteString.CopyFrom(_buffer.WrittenSpan) };
    }

    private void WriteValue(Utf8JsonWriter json, FeatureType type, string now)
    {
        switch (type)
        {
            case FeatureType.Int64:
                json.WriteNumberValue(_random.NextInt64(1_000_000));
                break;
            case FeatureType.Float64:
                json.WriteNumberValue(Math.Round(_random.NextDouble() * 1000, 3));
                break;
            case FeatureType.Bool:
                json.WriteBooleanValue(_random.Next(2) == 1);
                break;
            case FeatureType.Bytes:
                Span<byte> bytes = stackalloc byte[8];
                _random.NextBytes(bytes);
                json.WriteBase64StringValue(bytes);
                break;
            case FeatureType.Timestamp:
                json.WriteStringValue(now);
                break;
            default:
                json.WriteStringValue(string.Create(CultureInfo.InvariantCulture, $"v{_random.Next(1000)}"));
                break;
        }
    }
}
