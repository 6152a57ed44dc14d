using StreamingFeatures.Verification;

namespace StreamingFeatures.Jobs;

/// <summary>What a migration run ends with: the figures of every row of the migration, all runs together.</summary>
/// <param name="Report">Rows read, written, dead-lettered and verified, with the keys found missing or changed.</param>
/// <param name="Summary">The same figures with time, CPU and memory, as scripts read them.</param>
/// <param name="Stopped">The run was stopped and drained before the end; its progress is saved.</param>
public sealed record MigrationResult(IntegrityReport Report, MigrationSummary Summary, bool Stopped)
{
    /// <summary>Verification found rows missing or changed.</summary>
    public bool VerificationFailed => Report.Missing > 0 || Report.Changed > 0;
}
