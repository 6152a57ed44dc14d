using Google.Cloud.PubSub.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Tests.Sources.PubSub;

/// <summary>A feature set with one feature of every type, and messages for it.</summary>
internal static class TestEvents
{
    public static readonly DateTimeOffset PublishTime = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static FeatureSetOptions FeatureSet() => new()
    {
        Table = "events",
        EntityKey = ["user"],
        EventTime = "ts",
        Families = { ["f"] = new ColumnFamilyOptions { MaxVersions = 1 } },
        Features =
        [
            new FeatureOptions { Name = "clicks", Family = "f", Type = FeatureType.Int64, Nullable = true },
            new FeatureOptions { Name = "score", Family = "f", Type = FeatureType.Float64, Nullable = true },
            new FeatureOptions { Name = "active", Family = "f", Type = FeatureType.Bool, Nullable = true },
            new FeatureOptions { Name = "name", Family = "f", Type = FeatureType.String, Nullable = true },
            new FeatureOptions { Name = "blob", Family = "f", Type = FeatureType.Bytes, Nullable = true },
            new FeatureOptions { Name = "seen", Family = "f", Type = FeatureType.Timestamp, Nullable = true },
        ],
    };

    public static PubsubMessage Message(string json, params (string Key, string Value)[] attributes)
    {
        var message = new PubsubMessage
        {
            Data = ByteString.CopyFrom(System.Text.Encoding.UTF8.GetBytes(json)),
            MessageId = "id-" + json.Length,
            PublishTime = Timestamp.FromDateTimeOffset(PublishTime),
        };
        foreach ((string key, string value) in attributes)
        {
            message.Attributes[key] = value;
        }

        return message;
    }

    public static long Micros(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks / 10;
}
