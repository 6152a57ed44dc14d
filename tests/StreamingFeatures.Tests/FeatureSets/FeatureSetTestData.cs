using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Tests.FeatureSets;

/// <summary>The sample files and a small valid feature set that each test breaks in one place.</summary>
internal static class FeatureSetTestData
{
    public static string SamplePath(string fileName) =>
        Path.Combine(RepositoryRoot(), "samples", "feature-sets", fileName);

    public static FeatureSetOptions Valid() => new()
    {
        Table = "user_features",
        EntityKey = ["user_id"],
        EventTime = "event_time",
        Features =
        [
            new FeatureOptions { Name = "country", Family = "f", Type = FeatureType.String },
            new FeatureOptions { Name = "clicks_7d", Family = "agg", Type = FeatureType.Int64 },
        ],
        Families = new()
        {
            ["f"] = new ColumnFamilyOptions { MaxVersions = 1 },
            ["agg"] = new ColumnFamilyOptions { MaxVersions = 3, MaxAge = TimeSpan.FromDays(30) },
        },
    };

    /// <summary>Asserts exactly one error, containing every fragment (the path, the value, the limit).</summary>
    public static void AssertSingleError(FeatureSetOptions options, params string[] fragments)
    {
        IReadOnlyList<string> errors = FeatureSetValidator.Validate(options);
        Assert.HasCount(1, errors, string.Join(Environment.NewLine, errors));
        foreach (string fragment in fragments)
        {
            StringAssert.Contains(errors[0], fragment);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StreamingFeatures.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No StreamingFeatures.sln above {AppContext.BaseDirectory}.");
    }
}
