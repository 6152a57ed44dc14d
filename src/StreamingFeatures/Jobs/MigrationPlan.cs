using StreamingFeatures.Keys;
using StreamingFeatures.Sources.BigQuery;

namespace StreamingFeatures.Jobs;

/// <summary>What a prepared migration will do, for the host to check and show before anything is written.</summary>
/// <param name="Source">The source as it describes itself.</param>
/// <param name="TableName">The target table, <c>projects/P/instances/I/tables/T</c>.</param>
/// <param name="Bigtable">For messages: the emulator's address, or Google Cloud.</param>
/// <param name="Keys">How row keys are built.</param>
/// <param name="RowRestriction">The BigQuery filter on the rows read (a shard's included), if any.</param>
/// <param name="Session">The BigQuery read session, created or restored.</param>
/// <param name="ExpectedRows">The source's row count, when known before reading.</param>
public sealed record MigrationPlan(
    string Source,
    string TableName,
    string Bigtable,
    RowKeyFormat Keys,
    string? RowRestriction,
    BigQueryReadSessionInfo? Session,
    long? ExpectedRows);
