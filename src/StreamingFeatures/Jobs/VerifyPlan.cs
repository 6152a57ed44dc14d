using StreamingFeatures.Keys;
using StreamingFeatures.Sources.BigQuery;

namespace StreamingFeatures.Jobs;

/// <summary>What a prepared comparison will read, for the host to show before it starts.</summary>
/// <param name="Source">The source as it describes itself.</param>
/// <param name="TableName">The table compared, <c>projects/P/instances/I/tables/T</c>.</param>
/// <param name="Bigtable">For messages: the emulator's address, or Google Cloud.</param>
/// <param name="Keys">How row keys are built.</param>
/// <param name="Session">The BigQuery read session, when the source is BigQuery.</param>
/// <param name="ExpectedRows">The source's row count, when known before reading.</param>
/// <param name="RangeCount">Key ranges the table is compared in.</param>
/// <param name="NewerThan">Table rows whose cells are all later than this are left out of the extras (written after the snapshot).</param>
public sealed record VerifyPlan(
    string Source,
    string TableName,
    string Bigtable,
    RowKeyFormat Keys,
    BigQueryReadSessionInfo? Session,
    long? ExpectedRows,
    int RangeCount,
    DateTimeOffset? NewerThan);
