using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Jobs;

/// <summary>
/// Where a migration reads its rows, parsed once by the host: each kind names itself in the job's identity as the
/// <c>--source</c> text that chose it.
/// </summary>
public abstract record MigrationSource
{
    /// <summary>The source as it names the job (e.g. <c>files:events/*.csv</c>).</summary>
    public abstract string Text { get; }

    /// <summary>
    /// The deterministic sample table (<see cref="TableName"/>), read through the BigQuery Storage Read API from an
    /// endpoint the host serves; the host's sessions end with it, so a resumed run creates its session again.
    /// </summary>
    public sealed record Sample(long Rows, int Features = 8) : MigrationSource
    {
        public const string TableName = "projects/local/datasets/features/tables/sample";

        public override string Text => "sample";
    }

    /// <summary>The sample's rows straight from the generator.</summary>
    public sealed record Synthetic(long Rows, int Features = 8) : MigrationSource
    {
        public override string Text => "synthetic";
    }

    /// <summary>Parquet or CSV files: <paramref name="Pattern"/> is a glob ending in <c>.parquet</c> or <c>.csv</c>.</summary>
    public sealed record Files(string Pattern) : MigrationSource
    {
        /// <summary>CSV: a quoted field may span lines.</summary>
        public bool CsvAllowQuotedNewlines { get; init; }

        /// <summary>The longest CSV record or Parquet string/bytes value; a longer one is dead-lettered.</summary>
        public int MaxRecordBytes { get; init; } = FileSourceLimits.MaxRecordBytes.Default;

        public override string Text => "files:" + Pattern;
    }

    /// <summary>A BigQuery table, <c>projects/P/datasets/D/tables/T</c>.</summary>
    public sealed record BigQuery(string Table) : MigrationSource
    {
        /// <summary>
        /// The source as the user wrote it (<c>bigquery:P.D.T</c> names the same table as its long form): jobs have been
        /// identified by that text since before sources were parsed, so checkpoints written then still match.
        /// </summary>
        public string? Spec { get; init; }

        public override string Text => Spec ?? "bigquery:" + Table;
    }
}
