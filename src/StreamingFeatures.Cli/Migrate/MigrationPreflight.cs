using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.Jobs;
using StreamingFeatures.Sources.BigQuery;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>
/// What the flags point at outside the process, checked before any work starts: every output file can be written
/// (a summary that cannot be written would otherwise fail after the whole migration) and every emulator variable in
/// use is host:port with a host that resolves. Nothing is left behind by the checks.
/// </summary>
internal static class MigrationPreflight
{
    public static IReadOnlyList<string> Problems(MigrationSettings settings, Func<string, string?> environment)
    {
        var problems = new List<string>();
        if (settings.Local || settings.Project is null)
        {
            Add(problems, OutputChecks.EndpointVariableProblem(BigtableConnectionOptions.EmulatorHostVariable, environment));
        }

        if (settings.SourceKind == SourceKind.BigQuery)
        {
            Add(problems, OutputChecks.EndpointVariableProblem(BigQueryConnectionOptions.EmulatorHostVariable, environment));
        }

        // FileInfo.ToString() is the path as the user typed it.
        Add(problems, OutputChecks.FileProblem("--dead-letter", settings.DeadLetterFile.ToString()));
        if (settings.SummaryJson is { } summary)
        {
            Add(problems, OutputChecks.FileProblem("--summary-json", summary.ToString()));
        }

        if (settings.Checkpoint is null)
        {
            Add(problems, OutputChecks.FileProblem("--checkpoint", Path.Combine(MigrationJob.DefaultCheckpointFolder, "JOB.json"), createsFolder: true));
        }
        else if (settings.Checkpoint is CheckpointStoreSpec.File { Path: var path })
        {
            Add(problems, OutputChecks.FileProblem("--checkpoint", path, createsFolder: true));
        }

        return problems;
    }

    private static void Add(List<string> problems, string? problem)
    {
        if (problem is not null)
        {
            problems.Add(problem);
        }
    }
}
