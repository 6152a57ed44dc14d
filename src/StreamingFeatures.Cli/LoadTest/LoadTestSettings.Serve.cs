using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>Reads through a running serve (<c>--serve-endpoint</c>) and the feature set it must serve (<c>--write-feature-set</c>).</summary>
internal sealed partial record LoadTestSettings
{
    /// <summary><c>--serve-endpoint</c> as given: a running serve's gRPC address; null reads in this process.</summary>
    public string? ServeEndpoint { get; init; }

    /// <summary><c>--write-feature-set</c>: where the run's feature set goes, for <c>serve --feature-set</c>.</summary>
    public FileInfo? WriteFeatureSet { get; init; }

    public Uri? ServeUri => Uri.TryCreate(ServeEndpoint, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.AbsolutePath == "/" ? uri : null;

    private void AddServeProblems(List<string> problems)
    {
        if (ServeEndpoint is not null && ServeUri is null)
        {
            problems.Add($"--serve-endpoint is '{ServeEndpoint}'; allowed an http:// or https:// address of a running serve's gRPC port, without a path, e.g. http://localhost:8081.");
        }

        // The served feature set is named by its table: without --table the run's table is random and unserved.
        foreach ((string flag, object? value) in new (string, object?)[] { ("--serve-endpoint", ServeEndpoint), ("--write-feature-set", WriteFeatureSet) })
        {
            if (value is not null && Table is null)
            {
                problems.Add($"{flag} needs --table: the table the run writes and serve serves under that name (e.g. --table loadtest-serve).");
            }
        }

        // An ingest run writes through the service's own --feature-set, not the run's generated one.
        foreach ((string flag, object? value) in new (string, object?)[] { ("--serve-endpoint", ServeEndpoint), ("--write-feature-set", WriteFeatureSet) })
        {
            if (value is not null && TargetKind == LoadTarget.Ingest)
            {
                problems.Add($"{flag} does not go with --target ingest: the service writes with its own --feature-set; allowed with the other targets.");
            }
        }

        if (WriteFeatureSet is { Directory.Exists: false })
        {
            problems.Add($"--write-feature-set is '{WriteFeatureSet.FullName}': its folder does not exist.");
        }
    }
}
