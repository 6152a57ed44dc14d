using System.CommandLine;
using System.Globalization;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.Jobs;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Verify;

/// <summary>
/// <c>streamingfeatures verify</c>: compares an existing table with its source and writes nothing; what an operator
/// runs after a cutover.
/// </summary>
internal static class VerifyCommand
{
    public const string Name = "verify";

    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Check configuration, source schema and table, print the plan, read no rows." };
    private static readonly Option<int> ShardIndex = new Option<int>("--shard-index") { Description = "This replica's shard, 0 to --shard-count - 1 (for a Kubernetes Indexed Job: $(JOB_COMPLETION_INDEX)).", DefaultValueFactory = _ => 0 }.WholeNumber();
    private static readonly Option<int> ShardCount = new Option<int>("--shard-count") { Description = "Replicas sharing the comparison; each checks the rows whose row key hashes to its shard (each reads the whole source, so n shards read it n times and BigQuery bills n scans; each reads back and scans only its share of the table).", DefaultValueFactory = _ => MigrationJobLimits.ShardCount.Default }.WholeNumber();
    private static readonly Option<int> MaxKeys = new Option<int>("--max-keys") { Description = Invariant($"Keys listed in the report (missing, changed and extra together), {VerificationLimits.MaxReportedKeys.Min} to {VerificationLimits.MaxReportedKeys.Max}."), DefaultValueFactory = _ => VerificationLimits.MaxReportedKeys.Default }.WholeNumber();

    private static readonly Option<long> ExactPassKeys = new Option<long>("--exact-pass-keys") { Description = Invariant($"Source keys held at once (about 40 bytes each) while the key ranges whose sums differ are searched for extra rows, {VerificationLimits.ExactPassKeys.Min:N0} to {VerificationLimits.ExactPassKeys.Max:N0}; each such many costs one more read of the source, and a larger range is searched in slices."), DefaultValueFactory = _ => VerificationLimits.ExactPassKeys.Default }.WholeNumber();

    public static Command Create()
    {
        var command = new Command(Name, "Compare a Bigtable table with its source, read-only: missing, changed and extra rows per key range.");
        JobFlags.Verify.AddTo(command, DryRun, ShardIndex, ShardCount, MaxKeys, ExactPassKeys);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken));
        return command.WithExitCodes(
            new ExitCode(ExitCodes.Success, "The table holds every source row unchanged and no other row; or a dry run found the plan sound."),
            new ExitCode(ExitCodes.Failure, "Another failure (Bigtable or BigQuery unreachable past the retry deadline)."),
            new ExitCode(ExitCodes.BadInput, "Bad flags, feature set, source or environment, or the table does not exist."),
            new ExitCode(ExitCodes.TableDiffers, "The table differs from its source: missing, changed or extra rows (listed in the report)."),
            new ExitCode(ExitCodes.Stopped, "Stopped by Ctrl+C or SIGTERM; nothing was written, run it again."));
    }

    private static Task<int> RunAsync(ParseResult parse, CancellationToken stop)
    {
        var problems = new List<string>();
        MigrationSettings source = JobFlags.Verify.Read(parse, problems);
        problems.AddRange(source.Problems());
        var settings = new VerifySettings(source, parse.GetValue(DryRun), parse.GetValue(ShardIndex), parse.GetValue(ShardCount), parse.GetValue(MaxKeys), parse.GetValue(ExactPassKeys));
        problems.AddRange(settings.Problems());
        if (problems.Count == 0)
        {
            // The environment only once the flags make sense.
            bool local = source.Local || source.Project is null;
            AddProblem(problems, local ? OutputChecks.EndpointVariableProblem(BigtableConnectionOptions.EmulatorHostVariable, Environment.GetEnvironmentVariable) : null);
            AddProblem(problems, source.SourceKind == SourceKind.BigQuery ? OutputChecks.EndpointVariableProblem(BigQueryConnectionOptions.EmulatorHostVariable, Environment.GetEnvironmentVariable) : null);
            if (local && Environment.GetEnvironmentVariable(BigtableConnectionOptions.EmulatorHostVariable) is null)
            {
                problems.Add($"verify compares a table that exists: name it with --project and --instance, or point {BigtableConnectionOptions.EmulatorHostVariable} at the emulator that holds it (an emulator started now would be empty).");
            }
        }

        if (problems.Count > 0)
        {
            return Task.FromResult(MigrationRunner.BadInput(string.Join(Environment.NewLine + "error: ", problems)));
        }

        return new VerifyRunner(settings).RunAsync(stop);
    }

    private static void AddProblem(List<string> problems, string? problem)
    {
        if (problem is not null)
        {
            problems.Add(problem);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
