using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;

namespace StreamingFeatures.Tests.Serving;

/// <summary>A small feature set and its rows, shared by the serving tests.</summary>
internal static class ServingFixtures
{
    public const long EventMicros = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z

    public static FeatureSetOptions FeatureSet(TimeSpan? maxAge = null) => new()
    {
        Table = "users",
        EntityKey = ["user_id"],
        EventTime = "ts",
        Families = { ["f"] = new ColumnFamilyOptions { MaxVersions = 1, MaxAge = maxAge }, ["g"] = new ColumnFamilyOptions() },
        Features =
        [
            new FeatureOptions { Name = "clicks", Family = "f", Type = FeatureType.Int64 },
            new FeatureOptions { Name = "score", Family = "f", Qualifier = "s", Type = FeatureType.Float64 },
            new FeatureOptions { Name = "country", Family = "g", Type = FeatureType.String, Nullable = true },
        ],
    };

    public static string Key(string entity) => RowKeyFormat.Display(RowKeys.ForEntity(entity, new RowKeyOptions()));

    /// <summary>Adds a row for <paramref name="entity"/> with clicks = <paramref name="clicks"/>.</summary>
    public static void AddRow(FakeReadRowsInvoker bigtable, string entity, long clicks) =>
        bigtable.Rows[Key(entity)] = [("f", "clicks", EventMicros, CellEncoding.Int64(clicks))];
}
