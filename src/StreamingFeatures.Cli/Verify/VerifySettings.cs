using System.Globalization;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Jobs;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Verify;

/// <summary>The verify command's flags: the source and table as migrate takes them, and its own.</summary>
/// <param name="Source">The flags shared with migrate (source, feature set, table, project, snapshot, ...).</param>
/// <param name="DryRun">Plan only.</param>
/// <param name="ShardIndex">This replica's shard.</param>
/// <param name="ShardCount">Replicas sharing the comparison.</param>
/// <param name="MaxKeys">Keys listed in the report.</param>
/// <param name="ExactPassKeys">Keys one exact search holds at once.</param>
internal sealed record VerifySettings(MigrationSettings Source, bool DryRun, int ShardIndex, int ShardCount, int MaxKeys, long ExactPassKeys)
{
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!MigrationJobLimits.ShardCount.Allows(ShardCount))
        {
            problems.Add(Invariant($"--shard-count is {ShardCount}; allowed {MigrationJobLimits.ShardCount.Min} to {MigrationJobLimits.ShardCount.Max}."));
        }
        else if (ShardIndex < 0 || ShardIndex >= ShardCount)
        {
            problems.Add(Invariant($"--shard-index is {ShardIndex}; allowed 0 to {ShardCount - 1} with --shard-count {ShardCount}."));
        }

        if (!VerificationLimits.MaxReportedKeys.Allows(MaxKeys))
        {
            problems.Add(Invariant($"--max-keys is {MaxKeys}; allowed {VerificationLimits.MaxReportedKeys.Min} to {VerificationLimits.MaxReportedKeys.Max}."));
        }

        if (!VerificationLimits.ExactPassKeys.Allows(ExactPassKeys))
        {
            problems.Add(Invariant($"--exact-pass-keys is {ExactPassKeys}; allowed {VerificationLimits.ExactPassKeys.Min} to {VerificationLimits.ExactPassKeys.Max}."));
        }

        return problems;
    }

    /// <param name="featureSet">The feature set, its table already overridden by <c>--table</c>.</param>
    public VerifyJobOptions ToJobOptions(FeatureSetOptions featureSet)
    {
        MigrationJobOptions migration = Source.ToJobOptions(featureSet, target: string.Empty);
        return new VerifyJobOptions
        {
            Source = migration.Source,
            FeatureSet = featureSet,
            CredentialsFile = Source.CredentialsFile,
            BillingProject = Source.BillingProject,
            RowRestriction = Source.RowRestriction,
            SnapshotTime = Source.SnapshotTime,
            MaxStreams = Source.MaxStreams,
            ReadStreams = Source.ReadStreams,
            DataFormat = Source.DataFormat,
            ArrowCompression = Source.ArrowCompression,
            ShardIndex = ShardIndex,
            ShardCount = ShardCount,
            Verification = new VerificationOptions { MaxReportedKeys = MaxKeys },
            ExactPassMaxKeys = ExactPassKeys,
            RetryDeadline = Source.RetryDeadline,
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
