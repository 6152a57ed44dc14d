using System.Text.RegularExpressions;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>The <c>loadtest</c> arguments, checked together before anything starts.</summary>
internal sealed partial record LoadTestSettings
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

    /// <summary><c>--log-format</c> as given: simple or json; null for the default (json when output is redirected).</summary>
    public string? LogFormatText { get; init; }

    /// <summary>True with <c>--log-format json</c>, or redirected output without one: every line on standard output is one JSON object.</summary>
    public bool JsonOutput => Options.LogFormats.Resolve(LogFormatText) == Options.LogFormat.Json;

    /// <summary>Check everything, connect, print the plan and exit: nothing is published, created or written.</summary>
    public bool DryRun { get; init; }

    /// <summary>Multiplies every span of the profile's shape and its warm-up: 0.1 runs a tenth of it at the same rates.</summary>
    public double? DurationScale { get; init; }

    /// <summary><c>--target</c> as given: overrides the profile's target.</summary>
    public string? Target { get; init; }

    /// <summary>Target ingest: <c>projects/P/topics/T</c>, the topic the service's subscription reads.</summary>
    public string? Topic { get; init; }

    /// <summary>Target ingest: the service's Prometheus endpoint.</summary>
    public string? MetricsUrl { get; init; }

    /// <summary>Target ingest: the feature set the service runs (its <c>--feature-set</c>); default the local sample.</summary>
    public FileInfo? FeatureSet { get; init; }

    /// <summary><c>PUBSUB_EMULATOR_HOST</c>: where the ingest target publishes; without it, Google Cloud Pub/Sub.</summary>
    public string? PubSubEmulatorHost { get; init; }

    /// <summary>The emulator variables a run may read: <c>BIGTABLE_EMULATOR_HOST</c>, <c>PUBSUB_EMULATOR_HOST</c>, <c>BIGQUERY_STORAGE_EMULATOR_HOST</c>.</summary>
    public static readonly string[] EmulatorVariables =
        [Bigtable.BigtableConnectionOptions.EmulatorHostVariable, Sources.PubSub.PubSubConnection.EmulatorHostVariable, Sources.BigQuery.BigQueryConnectionOptions.EmulatorHostVariable];

    /// <summary>Where environment variables are read (the process's unless a test says otherwise).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public bool Cloud => Project is not null;

    /// <summary><see cref="Target"/> parsed; null when not given or not a target's name.</summary>
    public LoadTarget? TargetKind
    {
        get
        {
            foreach (LoadTarget target in Enum.GetValues<LoadTarget>())
            {
                if (target.ToString().Equals(Target, StringComparison.OrdinalIgnoreCase))
                {
                    return target;
                }
            }

            return null;
        }
    }

    public Uri? MetricsUri => Uri.TryCreate(MetricsUrl, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;

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

        if (DurationScale is { } scale && !(scale >= LoadProfileScaling.MinScale && scale <= LoadProfileScaling.MaxScale))
        {
            problems.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--duration-scale is {scale}; allowed {LoadProfileScaling.MinScale} to {LoadProfileScaling.MaxScale} (0.1 runs a tenth of the profile's duration at the same rates)."));
        }

        if (Compare is not null && (DryRun || DurationScale is not null))
        {
            problems.Add("--compare compares two results without running: leave out --dry-run and --duration-scale.");
        }

        if (Options.LogFormats.Problem(LogFormatText) is { } logFormatProblem)
        {
            problems.Add(logFormatProblem);
        }

        if (Target is not null && TargetKind is null)
        {
            problems.Add($"--target is '{Target}'; allowed {string.Join(", ", Enum.GetNames<LoadTarget>().Select(n => n.ToLowerInvariant()))}.");
        }

        if (Topic is not null && !TopicName().IsMatch(Topic))
        {
            problems.Add($"--topic is '{Topic}'; allowed projects/PROJECT/topics/NAME, the topic the service's subscription reads.");
        }

        if (MetricsUrl is not null && MetricsUri is null)
        {
            problems.Add($"--metrics-url is '{MetricsUrl}'; allowed an http:// or https:// URL of the service's Prometheus endpoint, e.g. http://localhost:8080/metrics.");
        }

        if (Table is not null && !TableId().IsMatch(Table))
        {
            problems.Add($"--table is '{Table}'; allowed a Bigtable table id ({StreamingFeatures.FeatureSets.FeatureSetValidator.TableRule}).");
        }

        // Read by the emulator launcher and the Pub/Sub publisher only once the run starts, too late for one line.
        foreach (string variable in EmulatorVariables)
        {
            // Set but empty means unset, as for the clients that read them.
            if (Options.OutputChecks.EndpointVariableProblem(variable, name => string.IsNullOrWhiteSpace(Environment(name)) ? null : Environment(name)) is { } problem)
            {
                problems.Add(problem);
            }
        }

        if (Compare is null && OutputFolder.Problem(Output) is { } output)
        {
            problems.Add(output);
        }

        AddServeProblems(problems);
        if (FeatureSet is { Exists: false })
        {
            problems.Add($"--feature-set is '{FeatureSet.FullName}': no such file.");
        }

        return problems;
    }

    /// <summary>The checks that depend on the target, which the profile may name: run once it is loaded.</summary>
    public IReadOnlyList<string> TargetProblems(LoadTarget target)
    {
        var problems = new List<string>();
        if (target != LoadTarget.Ingest)
        {
            foreach ((string flag, object? value) in new (string, object?)[] { ("--topic", Topic), ("--metrics-url", MetricsUrl), ("--feature-set", FeatureSet) })
            {
                if (value is not null)
                {
                    problems.Add($"{flag} applies to the ingest target only (--target ingest); this run's target is {target.ToString().ToLowerInvariant()}.");
                }
            }

            return problems;
        }

        if (Topic is null)
        {
            problems.Add("--topic is required with the ingest target: the topic the service's subscription reads, e.g. projects/local/topics/streamingfeatures-events.");
        }

        if (MetricsUrl is null)
        {
            problems.Add("--metrics-url is required with the ingest target: the service's Prometheus endpoint, e.g. http://localhost:8080/metrics.");
        }

        foreach ((string flag, string? value) in new[] { ("--project", Project), ("--instance", Instance), ("--app-profile", AppProfile), ("--table", Table) })
        {
            if (value is not null)
            {
                problems.Add($"{flag} {value} does not apply to the ingest target: the service writes to its own Bigtable table; set it on the service.");
            }
        }

        if (Topic is not null && string.IsNullOrWhiteSpace(PubSubEmulatorHost) && !AllowCloud)
        {
            problems.Add($"--topic {Topic} is on Google Cloud Pub/Sub (PUBSUB_EMULATOR_HOST is not set): a load test there costs money and feeds a real service. Add --allow-cloud to mean it, or set PUBSUB_EMULATOR_HOST to the emulator the service reads.");
        }

        return problems;
    }

    [GeneratedRegex(@"^[_a-zA-Z0-9][-_.a-zA-Z0-9]{0,49}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TableId();

    [GeneratedRegex(@"^projects/[^/\s]+/topics/[^/\s]+$")]
    private static partial Regex TopicName();
}
