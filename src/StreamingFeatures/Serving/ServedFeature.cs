using Google.Protobuf;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Serving;

/// <summary>One feature as the reader sees it: its column, its type and its family's max age (null: kept forever).</summary>
internal sealed record ServedFeature(string Name, string Family, ByteString Qualifier, FeatureType Type, bool Nullable, long? MaxAgeMicros)
{
    public static ServedFeature From(FeatureOptions feature, FeatureSetOptions featureSet)
    {
        TimeSpan? maxAge = featureSet.Families.TryGetValue(feature.Family, out ColumnFamilyOptions? family) ? family.MaxAge : null;
        return new ServedFeature(
            feature.Name,
            feature.Family,
            ByteString.CopyFromUtf8(feature.ColumnQualifier),
            feature.Type,
            feature.Nullable,
            maxAge is { } age ? age.Ticks / TimeSpan.TicksPerMillisecond * 1000 : null);
    }
}
