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

    public static V1.GetOnlineFeaturesResponse Response(FeatureReadResult result)
    {
        var response = new V1.GetOnlineFeaturesResponse { AsOf = Timestamp.FromDateTimeOffset(result.AsOf) };
        response.FeatureNames.AddRange(result.FeatureNames);
        foreach (EntityFeatures entity in result.Entities)
        {
            var message = new V1.EntityFeatures { Entity = new V1.EntityKey() };
            message.Entity.Parts.AddRange(entity.Entity.Parts);
            foreach (FeatureResult feature in entity.Features)
            {
                message.Features.Add(Result(feature));
            }

            response.Entities.Add(message);
        }

        return response;
    }

    public static V1.FeatureResult Result(FeatureResult result)
    {
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
