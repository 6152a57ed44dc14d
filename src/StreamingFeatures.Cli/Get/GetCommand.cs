using System.CommandLine;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Cli.Get;

/// <summary>
/// <c>streamingfeatures get</c>: an operator's look at what serving would answer for a few entities — typed values,
/// statuses and event times, as of now or a past time; what <c>cbt read</c> cannot show.
/// </summary>
internal static class GetCommand
{
    public const string Name = "get";

    private static readonly Option<string[]> Entity = new("--entity")
    {
        Description = "An entity key; repeat the flag for several. A composite key gives its parts separated by commas, in the feature set's entityKey order.",
        Required = true,
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string[]> Feature = new("--feature") { Description = "A feature to read; repeat the flag for several. Default: every feature of the feature set." };
    private static readonly Option<DateTimeOffset?> AsOf = new Option<DateTimeOffset?>("--as-of") { Description = "Read the values as they were at this time (RFC 3339, e.g. 2026-11-26T00:00:00Z); the feature set's max age counts back from it. Default: now." }.Rfc3339Time();
    private static readonly Option<string?> Format = new("--format") { Description = "table (a line per entity and feature) or json (one object: features, then per entity each feature's status, value and event time). Default: table on a terminal, json when standard output is redirected (a pipe or a file)." };

    // No DefaultValueFactory: help would print the default as 00:00:05; the description says it as every duration is typed.
    private static readonly Option<TimeSpan?> Timeout = new Option<TimeSpan?>("--timeout") { Description = $"Deadline of the read, retries included, {Show(FeatureReaderLimits.Timeout.Min)} to {Show(FeatureReaderLimits.Timeout.Max)} (e.g. 500ms, 5s). Default: {Show(FeatureReaderLimits.Timeout.Default)}." }.Duration(FeatureReaderLimits.Timeout.Min, FeatureReaderLimits.Timeout.Max);

    public static Command Create()
    {
        var command = new Command(Name, "Read features back by entity: typed values, statuses (PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE) and event times.");
        foreach (Option option in (Option[])[Entity, JobFlags.Verify.FeatureSetFile, Feature, AsOf, Format, JobFlags.Verify.Project, JobFlags.Verify.Instance, JobFlags.Verify.AppProfile, JobFlags.Verify.Table, JobFlags.Verify.Local, Timeout, JobFlags.Verify.Credentials])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken));
        return command.WithExitCodes(
            new ExitCode(ExitCodes.Success, "Every entity answered (NOT_FOUND is an answer)."),
            new ExitCode(ExitCodes.Failure, "Bigtable unreachable past the retries, or the read passed --timeout."),
            new ExitCode(ExitCodes.BadInput, "Bad flags or feature set, an unknown feature, too many entities, or the table does not exist."),
            new ExitCode(ExitCodes.Stopped, "Stopped by Ctrl+C or SIGTERM."));
    }

    private static Task<int> RunAsync(ParseResult parse, CancellationToken stop)
    {
        var settings = new GetSettings
        {
            Entities = parse.GetValue(Entity) ?? [],
            Features = parse.GetValue(Feature) ?? [],
            AsOf = parse.GetValue(AsOf),
            Format = parse.GetValue(Format) ?? GetSettings.DefaultFormat(Console.IsOutputRedirected),
            FeatureSetFile = parse.GetValue(JobFlags.Verify.FeatureSetFile),
            Project = parse.GetValue(JobFlags.Verify.Project),
            Instance = parse.GetValue(JobFlags.Verify.Instance),
            AppProfile = parse.GetValue(JobFlags.Verify.AppProfile),
            Table = parse.GetValue(JobFlags.Verify.Table),
            Local = parse.GetValue(JobFlags.Verify.Local),
            Timeout = parse.GetValue(Timeout) ?? FeatureReaderLimits.Timeout.Default,
            CredentialsFile = parse.GetValue(JobFlags.Verify.Credentials)?.FullName,
        };
        IReadOnlyList<string> problems = settings.Problems(Environment.GetEnvironmentVariable);
        if (problems.Count > 0)
        {
            return Task.FromResult(GetRunner.BadInput(string.Join(Environment.NewLine + "error: ", problems)));
        }

        return new GetRunner(settings).RunAsync(stop);
    }

    private static string Show(TimeSpan value) => DurationText.Format(value);
}
