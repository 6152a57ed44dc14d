using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Keys;

/// <summary>Row keys for the serving side: the key a feature set's pipeline wrote for an entity.</summary>
public static class RowKeys
{
    /// <summary>The row key of <paramref name="entityId"/> under <paramref name="options"/> (a simple entity key).</summary>
    public static byte[] ForEntity(string entityId, RowKeyOptions options, DateTimeOffset? eventTime = null) =>
        new RowKeyFormat(options).ForEntity([entityId], eventTime);

    /// <summary>The row key of a composite entity key, its parts in the feature set's <c>entityKey</c> order.</summary>
    public static byte[] ForEntity(IReadOnlyList<string> entityKeyParts, RowKeyOptions options, DateTimeOffset? eventTime = null) =>
        new RowKeyFormat(options).ForEntity(entityKeyParts, eventTime);
}
