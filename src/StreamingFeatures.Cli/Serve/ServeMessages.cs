using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Serving;
using V1 = StreamingFeatures.Serving.V1;

namespace StreamingFeatures.Cli.Serve;

/// <summary>The reader's results as the API's messages, and the API's entity keys as the reader's.</summary>
internal static class ServeMessages
{
    private const long MicrosPerSecond = 1_000_000;

    private static readonly V1.FeatureResult NotFound = new() { Status = V1.FeatureStatus.NotFound };
    private static readonly V1.FeatureResult NullValue = new() { Status = V1.FeatureStatus.NullValue };

    /// <summary>The request's keys; an entity without parts is refused, naming its index.</summary>
    /// <exception cref="ArgumentException">An entity has no parts.</exception>
    public static EntityKey[] EntityKeys(RepeatedField<V1.EntityKey> entities)
    {
        var keys = new EntityKey[entities.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = entities[i].Parts.Count > 0
                ? new EntityKey([.. entities[i].Parts])
                : throw new ArgumentException($"entities[{i}] has no parts; allowed: the key's parts in the feature set's entityKey order.");
        }

        return keys;
    }

    /// <summary>The response to a read; <paramref name="requested"/>, the request's keys in the same order, are answered as they came (not copied).</summary>
    public static V1.GetOnlineFeaturesResponse Response(FeatureReadResult result, IReadOnlyList<V1.EntityKey>? requested = null)
    {
        var response = new V1.GetOnlineFeaturesResponse { AsOf = Timestamp.FromDateTimeOffset(result.AsOf) };
        response.FeatureNames.AddRange(result.FeatureNames);
        IReadOnlyList<EntityFeatures> entities = result.Entities;
        for (int i = 0; i < entities.Count; i++)
        {
            var message = new V1.EntityFeatures { Entity = requested?[i] ?? Key(entities[i].Entity) };
            foreach (FeatureResult feature in entities[i].Features)
            {
                message.Features.Add(Result(feature));
            }

            response.Entities.Add(message);
        }

        return response;
    }

    public static V1.FeatureResult Result(FeatureResult result)
    {
        // A status alone is the same message every time: shared, never changed, only serialized.
        if (!result.Value.HasValue && result.EventTime is null && result.Status is FeatureStatus.NotFound or FeatureStatus.NullValue)
        {
            return result.Status == FeatureStatus.NotFound ? NotFound : NullValue;
        }

        var message = new V1.FeatureResult { Status = Status(result.Status) };
        if (result.Value.HasValue)
        {
            message.Value = Value(result.Value);
        }

        if (result.EventTime is { } time)
        {
            message.EventTime = Timestamp.FromDateTimeOffset(time);
        }

        return message;
    }

    private static V1.EntityKey Key(EntityKey entity)
    {
        var key = new V1.EntityKey();
        key.Parts.AddRange(entity.Parts);
        return key;
    }

    public static V1.FeatureStatus Status(FeatureStatus status) => status switch
    {
        FeatureStatus.Present => V1.FeatureStatus.Present,
        FeatureStatus.NullValue => V1.FeatureStatus.NullValue,
        FeatureStatus.NotFound => V1.FeatureStatus.NotFound,
        FeatureStatus.OutsideMaxAge => V1.FeatureStatus.OutsideMaxAge,
        _ => V1.FeatureStatus.Unspecified,
    };

    public static V1.FeatureValue Value(FeatureValue value) => value.Type switch
    {
        FeatureType.Int64 => new V1.FeatureValue { Int64Value = value.AsInt64() },
        FeatureType.Float64 => new V1.FeatureValue { Float64Value = value.AsFloat64() },
        FeatureType.Bool => new V1.FeatureValue { BoolValue = value.AsBool() },
        FeatureType.String => new V1.FeatureValue { StringValue = value.AsString() },
        FeatureType.Bytes => new V1.FeatureValue { BytesValue = ByteString.CopyFrom(value.AsBytes().Span) },
        _ => new V1.FeatureValue { TimestampValue = TimestampOfMicros(value.AsTimestampMicros()) },
    };

    /// <summary>Microseconds since the epoch, before it too, as a Timestamp (nanos are never negative).</summary>
    public static Timestamp TimestampOfMicros(long micros) => new()
    {
        Seconds = Math.DivRem(micros, MicrosPerSecond, out long rest) - (rest < 0 ? 1 : 0),
        Nanos = (int)((rest < 0 ? rest + MicrosPerSecond : rest) * 1000),
    };

    public static V1.FeatureSetInfo Info(FeatureSetOptions featureSet)
    {
        var info = new V1.FeatureSetInfo { Name = featureSet.Table };
        info.EntityKey.AddRange(featureSet.EntityKey);
        foreach (FeatureOptions feature in featureSet.Features)
        {
            TimeSpan? maxAge = featureSet.Families.TryGetValue(feature.Family, out ColumnFamilyOptions? family) ? family.MaxAge : null;
            info.Features.Add(new V1.FeatureInfo
            {
                Name = feature.Name,
                Type = feature.Type.ToString().ToLowerInvariant(),
                MaxAgeSeconds = maxAge is { } age ? (long)age.TotalSeconds : 0,
            });
        }

        return info;
    }
}
