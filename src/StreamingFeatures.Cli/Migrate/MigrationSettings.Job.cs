using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>The flags as the engine's job options.</summary>
internal sealed partial record MigrationSettings
{
    /// <summary><c>--checkpoint</c>: <c>none</c>, <c>bigtable:TABLE</c> or a file path; null (the default file) when not given.</summary>
    public static CheckpointStoreSpec? ParseCheckpoint(string? text, out string? problem)
    {
        problem = null;
        if (text is null)
        {
            return null;
        }

        if (text == "none")
        {
            return CheckpointStoreSpec.None;
        }

        if (!text.StartsWith("bigtable:", StringComparison.Ordinal))
        {
            return new CheckpointStoreSpec.File(text);
        }

        if (text.Length == "bigtable:".Length)
        {
            problem = "--checkpoint is 'bigtable:'; name the table, e.g. bigtable:migration-checkpoints.";
            return null;
        }

        return new CheckpointStoreSpec.Bigtable(text["bigtable:".Length..]);
    }

    /// <param name="featureSet">The feature set, its table already overridden by <c>--table</c>.</param>
    /// <param name="target">The Bigtable the rows go to, as it names the job.</param>
    public MigrationJobOptions ToJobOptions(FeatureSetOptions featureSet, string target) => new()
    {
        Source = SourceKind switch
        {
            SourceKind.Sample => new MigrationSource.Sample(SampleRows, SampleFeatures),
            SourceKind.Synthetic => new MigrationSource.Synthetic(SampleRows, SampleFeatures),
            SourceKind.Files => new MigrationSource.Files(Source["files:".Length..]) { CsvAllowQuotedNewlines = CsvAllowQuotedNewlines, MaxRecordBytes = (int)MaxRecordBytes },
            _ => new MigrationSource.BigQuery(BigQueryTable!) { Spec = Source },
        },
        FeatureSet = featureSet,
        Target = target,
        Verification = Verification,
        VerifyText = VerifyText,
        Checkpoint = Checkpoint,
        CheckpointInterval = CheckpointInterval,
        Restart = Restart,
        Provisioning = NoCreate ? TableProvisioning.Forbid : TableProvisioning.Create,
        DeadLetterFile = DeadLetterFile.FullName,
        RetryDeadline = RetryDeadline,
        CredentialsFile = CredentialsFile,
        BillingProject = BillingProject,
        RowRestriction = RowRestriction,
        SnapshotTime = SnapshotTime,
        MaxStreams = MaxStreams,
        ReadStreams = ReadStreams,
        DataFormat = DataFormat,
        ArrowCompression = ArrowCompression,
        ShardIndex = ShardIndex,
        ShardCount = ShardCount,
        WorkStealing = WorkStealing,
        DryRun = DryRun,
    };
}
