namespace StreamingFeatures.Cli.LoadTest;

/// <summary>The <c>loadtest</c> arguments, checked together before anything starts.</summary>
internal sealed record LoadTestSettings
{
    public FileInfo? Profile { get; init; }

    public DirectoryInfo? Output { get; init; }

    public FileInfo? Baseline { get; init; }

    public FileInfo? Compare { get; init; }

    public double? MaxThroughputDrop { get; init; }

    public double? MaxP99Rise { get; init; }

    public string? Project { get; init; }

    public string? Instance { get; init; }

    public string? AppProfile { get; init; }

    public string? CredentialsFile { get; init; }

    public bool AllowCloud { get; init; }

    public string? Table { get; init; }

    public bool Quiet { get; init; }

    public bool Cloud => Project is not null;

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Compare is not null)
        {
            if (Baseline is null)
            {
                problems.Add("--compare needs --baseline: the result to compare it with.");
            }

            if (Profile is not null)
            {
                problems.Add("--compare compares two results without running: leave out --profile.");
            }
        }
        else if (Profile is null)
        {
            problems.Add("--profile is required: a load profile such as perf/profiles/steady.yaml.");
        }

        if (Cloud && !AllowCloud)
        {
            problems.Add($"--project {Project} names a real Google Cloud project: a load test there costs money and can disturb serving. Add --allow-cloud to mean it, or leave out --project to run on the local emulator.");
        }

        if (Cloud && Instance is null)
        {
            problems.Add("--instance is required with --project.");
        }

        if (MaxThroughputDrop is < 0 or > 1)
        {
            problems.Add($"--max-throughput-drop is {MaxThroughputDrop}; allowed 0 to 1.");
        }

        if (MaxP99Rise is < 0 or > 100)
        {
            problems.Add($"--max-p99-rise is {MaxP99Rise}; allowed 0 to 100.");
        }

        return problems;
    }
}
