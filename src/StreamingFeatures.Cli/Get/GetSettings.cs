using System.Globalization;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Cli.Get;

/// <summary>The get command's flags, checked together before anything connects.</summary>
internal sealed record GetSettings
{
    public required IReadOnlyList<string> Entities { get; init; }

    public required IReadOnlyList<string> Features { get; init; }

    public DateTimeOffset? AsOf { get; init; }

    public required string Format { get; init; }

    public FileInfo? FeatureSetFile { get; init; }

    public string? Project { get; init; }

    public string? Instance { get; init; }

    public string? AppProfile { get; init; }

    public string? Table { get; init; }

    public bool Local { get; init; }

    public TimeSpan Timeout { get; init; } = FeatureReaderLimits.Timeout.Default;

    public string? CredentialsFile { get; init; }

    /// <summary>On the emulator: no project named, or <c>--local</c>.</summary>
    public bool IsLocal => Local || Project is null;

    public bool Json => Format.Equals("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The format when <c>--format</c> is not given: json for a program reading a pipe or file, a table for a person at a terminal.</summary>
    public static string DefaultFormat(bool outputRedirected) => outputRedirected ? "json" : "table";

    public IReadOnlyList<string> Problems(Func<string, string?> environment)
    {
        var problems = new List<string>();
        if (!Format.Equals("json", StringComparison.OrdinalIgnoreCase) && !Format.Equals("table", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"--format is '{Format}'; allowed: table, json.");
        }

        int max = FeatureReaderLimits.MaxBatchKeys.Default;
        if (Entities.Count > max)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"--entity is given {Entities.Count} times; allowed at most {max}."));
        }

        if (Entities.FirstOrDefault(string.IsNullOrEmpty) is not null)
        {
            problems.Add("--entity is ''; allowed: a non-empty entity key.");
        }

        if (AsOf is { } asOf && asOf < DateTimeOffset.UnixEpoch)
        {
            problems.Add($"--as-of is {asOf:O}; allowed: 1970-01-01T00:00:00Z or later.");
        }

        if (!IsLocal && Instance is null)
        {
            problems.Add($"--instance is missing; with --project '{Project}', name the Bigtable instance that holds the table.");
        }

        if (IsLocal)
        {
            if (OutputChecks.EndpointVariableProblem(BigtableConnectionOptions.EmulatorHostVariable, environment) is { } endpoint)
            {
                problems.Add(endpoint);
            }
            else if (environment(BigtableConnectionOptions.EmulatorHostVariable) is null)
            {
                problems.Add($"get reads a table that exists: name it with --project and --instance, or point {BigtableConnectionOptions.EmulatorHostVariable} at the emulator that holds it (an emulator started now would be empty).");
            }
        }

        return problems;
    }

    /// <summary>The entity keys as the reader takes them: a composite key's parts split at commas, a simple key whole.</summary>
    public EntityKey[] EntityKeys(int keyParts) => [.. Entities.Select(e => keyParts == 1 ? new EntityKey(e) : new EntityKey(e.Split(',')))];
}
