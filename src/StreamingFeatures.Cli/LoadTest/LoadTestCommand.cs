using System.CommandLine;
using StreamingFeatures.Cli.Options;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>
/// <c>streamingfeatures loadtest</c>: drives the real pipeline with a load profile on the local emulators (or, with
/// <c>--target ingest</c>, an already running ingest service through its topic and <c>/metrics</c>), measures it
/// every interval and writes a JSON result and an HTML report; with <c>--baseline</c>, a regression gate.
/// </summary>
internal static class LoadTestCommand
{
    /// <summary>The run is slower than its baseline beyond the gate's limits.</summary>
    public const int Regressed = ExitCodes.Regressed;

    private static readonly Option<FileInfo?> Profile = new Option<FileInfo?>("--profile") { Description = "The load profile (YAML or JSON), e.g. perf/profiles/steady.yaml." }.FilePath();
    private static readonly Option<DirectoryInfo?> Output = new Option<DirectoryInfo?>("--output") { Description = "Where the report goes (result.json, report.html, PNG charts). Default loadtest-results/<profile>-<UTC time>." }.FolderPath();
    private static readonly Option<FileInfo?> Baseline = new Option<FileInfo?>("--baseline") { Description = "A previous result.json: exit 4 when achieved throughput drops or p99 latency rises beyond the gate's limits." }.FilePath();
    private static readonly Option<FileInfo?> Compare = new Option<FileInfo?>("--compare") { Description = "Compare this result.json with --baseline without running anything." }.FilePath();
    private static readonly Option<double?> MaxThroughputDrop = new Option<double?>("--max-throughput-drop") { Description = "Largest accepted throughput drop, a share of the baseline's from 0 to 1 (0.1 = 10 %). Default: the profile's gate, else 0.1." }.Share(0, 1);
    private static readonly Option<double?> MaxP99Rise = new Option<double?>("--max-p99-rise") { Description = "Largest accepted p99 latency rise, a share of the baseline's from 0 to 100 (0.25 = 25 %). Default: the profile's gate, else 0.25." }.Share(0, 100);
    private static readonly Option<string?> Project = new("--project") { Description = "A Google Cloud project to load instead of the local emulator: refused unless --allow-cloud." };
    private static readonly Option<string?> Instance = new("--instance") { Description = "Bigtable instance id (with --project)." };
    private static readonly Option<string?> AppProfile = new("--app-profile") { Description = "Bigtable app profile for the writes." };
    private static readonly Option<FileInfo?> Credentials = new Option<FileInfo?>("--credentials") { Description = "A service-account key file. Default: Application Default Credentials." }.FilePath();
    private static readonly Option<bool> AllowCloud = new("--allow-cloud") { Description = "Allow a load test against a real Google Cloud project (it costs money and may disturb serving)." };
    private static readonly Option<string?> Table = new("--table") { Description = "Bigtable table id. Default loadtest-<profile>-<random>, deleted afterwards on an emulator." };
    private static readonly Option<bool> Quiet = new("--quiet") { Description = "No line per interval." };
    private static readonly Option<string?> LogFormat = Options.LogFormats.Option("the plan, each interval, notes, warnings and the summary");
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Check the flags, the profile and the target, connect (Bigtable, or the service's topic and /metrics), print the plan and exit: 0, or 2 with every problem. Nothing is created, published or written." };
    private static readonly Option<double?> DurationScale = new Option<double?>("--duration-scale") { Description = "Scale every span of the profile (its shape's durations and its warm-up) for a quick look at the same rates: 0.1 runs a tenth of it. From 0.001 to 100." }.Share(LoadTesting.LoadProfileScaling.MinScale, LoadTesting.LoadProfileScaling.MaxScale);
    private static readonly Option<string?> Target = new("--target") { Description = "Override the profile's target: synthetic, bigquery, pubsub (in process), or ingest (an already running `streamingfeatures ingest` service)." };
    private static readonly Option<string?> Topic = new("--topic") { Description = "Target ingest: the topic the service's subscription reads, projects/P/topics/T. Published to on PUBSUB_EMULATOR_HOST; Google Cloud only with --allow-cloud." };
    private static readonly Option<string?> MetricsUrl = new("--metrics-url") { Description = "Target ingest: the service's Prometheus endpoint, scraped every interval, e.g. http://localhost:8080/metrics." };
    private static readonly Option<string?> ServeEndpoint = new("--serve-endpoint") { Description = "Read through a running `streamingfeatures serve` over gRPC (its --grpc-port), e.g. http://localhost:8081, instead of the reader in this process. Needs --table: the served feature set of that name, written by --write-feature-set." };
    private static readonly Option<FileInfo?> WriteFeatureSet = new Option<FileInfo?>("--write-feature-set") { Description = "Write the feature set the run writes on --table to this file, for `serve --feature-set` (with --dry-run: nothing else is written)." }.FilePath();
    private static readonly Option<FileInfo?> FeatureSet = new Option<FileInfo?>("--feature-set") { Description = "Target ingest: the feature set the service runs (its --feature-set). The events must fit it, and its row-key strategy maps keys to the hotspot chart. Default: the sample feature set of `ingest --local`." }.FilePath();

    public static Command Create()
    {
        var command = new Command("loadtest", "Run a load profile against the pipeline on the local emulators: throughput, latency percentiles, queue depths, hotspots; JSON and HTML reports; a regression gate.")
        {
            Profile, Output, Baseline, Compare, MaxThroughputDrop, MaxP99Rise, Project, Instance, AppProfile, Credentials, AllowCloud, Table, Quiet,
            Target, Topic, MetricsUrl, FeatureSet, ServeEndpoint, WriteFeatureSet, DryRun, DurationScale, LogFormat,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken));
        return command.WithExitCodes(
            new ExitCode(ExitCodes.Success, "The run finished and its reports are written (and the gate passed, with --baseline); or --compare passed; or a dry run found the plan sound."),
            new ExitCode(ExitCodes.Failure, "Another failure: an emulator did not start, the pipeline faulted, the service's /metrics could not be scraped, the reports could not be written."),
            new ExitCode(ExitCodes.BadInput, "Bad flags, profile, baseline, feature set, --output folder or environment, found before the run."),
            new ExitCode(ExitCodes.Regressed, "The regression gate failed: throughput dropped or p99 latency rose beyond the limits."),
            new ExitCode(ExitCodes.Stopped, "Stopped by Ctrl+C or SIGTERM; the reports cover what was measured."));
    }

    private static Task<int> RunAsync(ParseResult parse, CancellationToken stop)
    {
        var settings = new LoadTestSettings
        {
            Profile = parse.GetValue(Profile),
            Output = parse.GetValue(Output),
            Baseline = parse.GetValue(Baseline),
            Compare = parse.GetValue(Compare),
            MaxThroughputDrop = parse.GetValue(MaxThroughputDrop),
            MaxP99Rise = parse.GetValue(MaxP99Rise),
            Project = parse.GetValue(Project),
            Instance = parse.GetValue(Instance),
            AppProfile = parse.GetValue(AppProfile),
            CredentialsFile = parse.GetValue(Credentials)?.FullName,
            AllowCloud = parse.GetValue(AllowCloud),
            Table = parse.GetValue(Table),
            Quiet = parse.GetValue(Quiet),
            DryRun = parse.GetValue(DryRun),
            LogFormatText = parse.GetValue(LogFormat),
            DurationScale = parse.GetValue(DurationScale),
            Target = parse.GetValue(Target),
            Topic = parse.GetValue(Topic),
            MetricsUrl = parse.GetValue(MetricsUrl),
            FeatureSet = parse.GetValue(FeatureSet),
            ServeEndpoint = parse.GetValue(ServeEndpoint),
            WriteFeatureSet = parse.GetValue(WriteFeatureSet),
            PubSubEmulatorHost = Environment.GetEnvironmentVariable(Sources.PubSub.PubSubConnection.EmulatorHostVariable),
        };
        IReadOnlyList<string> problems = settings.Problems();
        if (problems.Count > 0)
        {
            Console.Error.WriteLine("error: " + string.Join(Environment.NewLine + "error: ", problems.Select(Configuration.SettingSources.Current.Annotate)));
            return Task.FromResult(ExitCodes.BadInput);
        }

        return settings.Compare is { } current
            ? Task.FromResult(LoadTestGate.CompareFiles(current, settings.Baseline!, settings.MaxThroughputDrop, settings.MaxP99Rise))
            : new LoadTestRunner(settings).RunAsync(stop);
    }
}
