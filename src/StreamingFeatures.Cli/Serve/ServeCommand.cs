using System.CommandLine;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Cli.Serve;

/// <summary>
/// <c>streamingfeatures serve</c>: the online feature-serving service. Settings come like every command's but
/// ingest's: flags, then <c>STREAMINGFEATURES_*</c> variables and <c>--config</c> for the flags not given (Program
/// resolves them before this runs): a server reads them once at start and needs nothing ingest's host configuration
/// adds (its Logging section), and repeatable <c>--feature-set</c> maps to flags directly. The Generic Host owns
/// SIGTERM and Ctrl+C (<see cref="OwnsSignals"/>) and drains within <c>--drain-timeout</c>.
/// </summary>
internal static partial class ServeCommand
{
    public const string Name = "serve";

    private static readonly Option<FileInfo[]> FeatureSet = new("--feature-set") { Description = "A feature set to serve (JSON or YAML); repeat the flag for several. A set's name in requests is its table; two sets of one table are refused.", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string?> Project = new("--project") { Description = "Google Cloud project of the Bigtable instance (Application Default Credentials or --credentials). Without it, the tables are read from the emulator BIGTABLE_EMULATOR_HOST names." };
    private static readonly Option<string?> Instance = new("--instance") { Description = "Bigtable instance id." };
    private static readonly Option<string?> AppProfile = new("--app-profile") { Description = "Bigtable app profile for the reads." };
    private static readonly Option<FileInfo?> Credentials = new Option<FileInfo?>("--credentials") { Description = "A service-account key file. Default: Application Default Credentials." }.FilePath();
    private static readonly Option<int> Port = new Option<int>("--port") { Description = "HTTP/1.1 port: REST (JSON transcoding of the gRPC API), /healthz/live, /healthz/ready and /metrics; 0 for any free port.", DefaultValueFactory = _ => 8080 }.WholeNumber(0, ServeSettings.MaxPort);
    private static readonly Option<int> GrpcPort = new Option<int>("--grpc-port") { Description = "Cleartext HTTP/2 port of the gRPC FeatureService (Kestrel cannot serve h2c and HTTP/1.1 on one cleartext port); 0 for any free port.", DefaultValueFactory = _ => 8081 }.WholeNumber(0, ServeSettings.MaxPort);
    private static readonly Option<int> MaxBatchKeys = new Option<int>("--max-batch-keys") { Description = $"Most entity keys one request may ask for; more are refused with INVALID_ARGUMENT ({FeatureReaderLimits.MaxBatchKeys.Min} to {FeatureReaderLimits.MaxBatchKeys.Max}).", DefaultValueFactory = _ => FeatureReaderLimits.MaxBatchKeys.Default }.WholeNumber(FeatureReaderLimits.MaxBatchKeys.Min, FeatureReaderLimits.MaxBatchKeys.Max);
    private static readonly Option<TimeSpan> Timeout = new Option<TimeSpan>("--timeout") { Description = "Deadline of one request's read, retries included; a gRPC caller's shorter deadline wins. Past it: DEADLINE_EXCEEDED (REST 504).", DefaultValueFactory = _ => FeatureReaderLimits.Timeout.Default }.Duration(FeatureReaderLimits.Timeout.Min, FeatureReaderLimits.Timeout.Max);
    private static readonly Option<TimeSpan> DrainTimeout = new Option<TimeSpan>("--drain-timeout") { Description = "On SIGTERM or Ctrl+C: readiness turns 503 and the requests in flight get this long to finish.", DefaultValueFactory = _ => TimeSpan.FromSeconds(10) }.Duration(TimeSpan.Zero, TimeSpan.FromMinutes(10));
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Check the flags and load the feature sets, print what would be served and exit: 0, or 2 with every problem. Nothing connects or listens." };
    private static readonly Option<bool> Local = new("--local") { Description = "Start the Bigtable emulator, load the sample table into it as migrate --local does, serve it on loopback and print curl and grpcurl lines that read it." };
    private static readonly Option<long> SampleRows = new Option<long>("--sample-rows") { Description = "--local: rows (and entities) of the sample table.", DefaultValueFactory = _ => ServeLocal.DefaultSampleRows }.WholeNumber(1, 10_000_000);

    public static Command Create()
    {
        var command = new Command(Name, "Serve features online: gRPC FeatureService and its REST form, several feature sets at once, with health and metrics endpoints; graceful drain on SIGTERM.");
        foreach (Option option in (Option[])[FeatureSet, Project, Instance, AppProfile, Credentials, Port, GrpcPort, MaxBatchKeys, Timeout, DrainTimeout, DryRun, Local, SampleRows])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, _) => RunAsync(Settings(parse)));
        return command.WithExitCodes(
            new ExitCode(ExitCodes.Success, "Stopped by SIGTERM or Ctrl+C after the requests in flight finished; or a dry run found every setting sound."),
            new ExitCode(ExitCodes.Failure, "Bigtable could not be connected to, or requests were still in flight when --drain-timeout ended."),
            new ExitCode(ExitCodes.BadInput, "Bad flags or feature sets (two of one table), or a port that cannot be listened on; nothing was served."));
    }

    /// <summary>True when <paramref name="parse"/> runs this command: the host then handles SIGTERM and Ctrl+C itself.</summary>
    public static bool OwnsSignals(ParseResult parse) => parse.CommandResult.Command.Name == Name && parse.Errors.Count == 0;

    private static ServeSettings Settings(ParseResult parse) => new()
    {
        FeatureSetFiles = parse.GetValue(FeatureSet) ?? [],
        Project = parse.GetValue(Project),
        Instance = parse.GetValue(Instance),
        AppProfile = parse.GetValue(AppProfile),
        CredentialsFile = parse.GetValue(Credentials)?.FullName,
        HttpPort = parse.GetValue(Port),
        GrpcPort = parse.GetValue(GrpcPort),
        MaxBatchKeys = parse.GetValue(MaxBatchKeys),
        Timeout = parse.GetValue(Timeout),
        DrainTimeout = parse.GetValue(DrainTimeout),
        DryRun = parse.GetValue(DryRun),
        Local = parse.GetValue(Local),
        SampleRows = parse.GetValue(SampleRows),
    };
}
