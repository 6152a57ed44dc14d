using System.CommandLine;
using System.Globalization;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Jobs;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Migrate;

/// <summary><c>streamingfeatures migrate</c>: moves a feature table into Bigtable and proves every row arrived.</summary>
internal static class MigrateCommand
{
    private static readonly Option<bool> NoCreate = new("--no-create") { Description = "Refuse to create the table or its column families." };
    private static readonly Option<string> Verify = new("--verify") { Description = "none | sample:RATE | full", DefaultValueFactory = _ => "full" };
    private static readonly Option<FileInfo?> SummaryJson = new("--summary-json") { Description = "Write the migration's figures (all runs) as JSON to this file." };
    private static readonly Option<FileInfo> DeadLetterFile = new("--dead-letter") { Description = "Dead-letter file (JSON lines, appended; created by the first dead letter). Its folder must exist.", DefaultValueFactory = _ => new FileInfo("streamingfeatures-dead-letters.jsonl") };
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Check configuration and schema, print the plan, write nothing." };
    private static readonly Option<bool> PlanOnly = new("--plan-only") { Description = "With --shard-count and a shared --checkpoint: create the shards' read session, record it in the checkpoint store and print it, then exit 0 without reading or writing rows. The shards, run with the same arguments, read that session." };
    private static readonly Option<int> ShardIndex = new Option<int>("--shard-index") { Description = "This replica's shard, 0 to --shard-count - 1 (for a Kubernetes Indexed Job: $(JOB_COMPLETION_INDEX)).", DefaultValueFactory = _ => 0 }.WholeNumber();
    private static readonly Option<int> ShardCount = new Option<int>("--shard-count") { Description = "Replicas sharing the migration. They share one BigQuery read session (one scan of the table) of --shard-count x --read-streams streams; shard i reads streams j with j mod count = i. The first shard to start creates the session and records it in the checkpoint store, so a bigquery: source needs --checkpoint bigtable:TABLE (or a file every shard reaches).", DefaultValueFactory = _ => MigrationJobLimits.ShardCount.Default }.WholeNumber();
    private static readonly Option<bool> NoWorkStealing = new("--no-work-stealing") { Description = "Shards of a shared read session do not take over the tail of a straggler's stream (SplitReadStream) once their own streams are read; each reads only its own." };
    private static readonly Option<string?> Checkpoint = new("--checkpoint") { Description = "Where progress is saved: a file path (default streamingfeatures-checkpoints/<job>.json), bigtable:TABLE (a table in the target instance), or none." };
    private static readonly Option<TimeSpan> CheckpointInterval = new Option<TimeSpan>("--checkpoint-interval") { Description = $"How often progress is saved, {Show(MigrationJobLimits.CheckpointInterval.Min)} to {Show(MigrationJobLimits.CheckpointInterval.Max)} (e.g. 90s, 5m; a bare number is seconds). Default {Show(MigrationJobLimits.CheckpointInterval.Default)}.", DefaultValueFactory = _ => MigrationJobLimits.CheckpointInterval.Default }.Duration(MigrationJobLimits.CheckpointInterval.Min, MigrationJobLimits.CheckpointInterval.Max);
    private static readonly Option<bool> Restart = new("--restart") { Description = "Ignore the saved checkpoint and start the migration over. A shard of a bigquery: source starts its streams over within the shards' recorded session; to read in a new session, delete the plan row (named in the report) first." };

    public static Command Create()
    {
        var command = new Command("migrate", "Migrate a feature table into Bigtable with verification; resumes from its checkpoint after a crash.");
        JobFlags.Migrate.AddTo(command, NoCreate, Verify, SummaryJson, DeadLetterFile, DryRun, PlanOnly, ShardIndex, ShardCount, NoWorkStealing, Checkpoint, CheckpointInterval, Restart);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken));
        return command.WithExitCodes(
            new ExitCode(ExitCodes.Success, "Every row written (and verified, unless --verify none); a dry run found the plan sound; or --plan-only recorded the shards' read session."),
            new ExitCode(ExitCodes.Failure, "Another failure (Bigtable unreachable, a fatal write fault); progress is saved and the same command resumes."),
            new ExitCode(ExitCodes.BadInput, "Bad flags, feature set, source, environment or checkpoint, found before anything was written."),
            new ExitCode(ExitCodes.VerificationFailed, "Verification found missing or changed rows (listed in the report)."),
            new ExitCode(ExitCodes.Stopped, "Stopped by Ctrl+C or SIGTERM after draining; progress is saved and the same command resumes."));
    }

    private static Task<int> RunAsync(ParseResult parse, CancellationToken stop)
    {
        var problems = new List<string>();
        string verifyText = parse.GetValue(Verify)!;
        if (!VerifySpec.TryParse(verifyText, out VerificationOptions verification, out string verifyError))
        {
            problems.Add(verifyError);
        }

        MigrationSettings settings = JobFlags.Migrate.Read(parse, problems) with
        {
            NoCreate = parse.GetValue(NoCreate),
            VerifyText = verifyText.Trim().ToLowerInvariant(),
            Verification = verification,
            SummaryJson = parse.GetValue(SummaryJson),
            DeadLetterFile = parse.GetValue(DeadLetterFile)!,
            DryRun = parse.GetValue(DryRun),
            PlanOnly = parse.GetValue(PlanOnly),
            ShardIndex = parse.GetValue(ShardIndex),
            ShardCount = parse.GetValue(ShardCount),
            WorkStealing = !parse.GetValue(NoWorkStealing),
            Checkpoint = MigrationSettings.ParseCheckpoint(parse.GetValue(Checkpoint), out string? checkpointProblem),
            CheckpointInterval = parse.GetValue(CheckpointInterval),
            Restart = parse.GetValue(Restart),
        };
        problems.AddRange(settings.Problems());
        if (checkpointProblem is not null)
        {
            problems.Add(checkpointProblem);
        }

        if (problems.Count == 0)
        {
            // The file system and the environment only once the flags make sense.
            problems.AddRange(MigrationPreflight.Problems(settings, Environment.GetEnvironmentVariable));
        }

        if (problems.Count > 0)
        {
            return Task.FromResult(MigrationRunner.BadInput(string.Join(Environment.NewLine + "error: ", problems)));
        }

        return new MigrationRunner(settings).RunAsync(stop);
    }

    /// <summary>For messages: a count with thousands separators.</summary>
    internal static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Show(TimeSpan value) => DurationText.Format(value);
}
