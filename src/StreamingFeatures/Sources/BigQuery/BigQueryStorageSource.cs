using System.Globalization;
using Apache.Arrow.Ipc;
using Google.Cloud.BigQuery.Storage.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// Rows of a BigQuery table through the Storage Read API in Arrow format. <see cref="OpenAsync"/> creates the read
/// session up front, so a missing table or an unmappable column fails before anything is written; RunAsync reads
/// every stream in parallel (stream <c>i</c> is partition <c>i</c>, offsets are row numbers within the stream).
/// </summary>
public sealed partial class BigQueryStorageSource : IRowSource
{
    private readonly BigQueryRead.BigQueryReadClient _client;
    private readonly BigQuerySourceOptions _options;
    private readonly ArrowBatchDecoder _decoder;

    private BigQueryStorageSource(BigQueryRead.BigQueryReadClient client, BigQuerySourceOptions options, ReadSession session, SourceSchema schema)
    {
        _client = client;
        _options = options;
        Schema = schema;
        _decoder = new ArrowBatchDecoder(session.ArrowSchema.SerializedSchema, schema);
        Session = new BigQueryReadSessionInfo(
            session.Name,
            options.SnapshotTime ?? session.TableModifiers?.SnapshotTime?.ToDateTimeOffset(),
            [.. session.Streams.Select(s => s.Name)],
            session.ExpireTime?.ToDateTimeOffset());
        ExpectedRows = session.EstimatedRowCount > 0 || session.Streams.Count == 0 ? session.EstimatedRowCount : null;
    }

    public SourceSchema Schema { get; }

    public string Description => string.Create(CultureInfo.InvariantCulture, $"bigquery({_options.Table}, {Session.Streams.Count} streams)");

    public long? ExpectedRows { get; }

    public BigQueryReadSessionInfo Session { get; }

    /// <summary>Validates <paramref name="options"/>, creates the read session and maps its Arrow schema.</summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    /// <exception cref="BigQuerySourceException">The table is missing or unreadable, or a column cannot map.</exception>
    public static async Task<BigQueryStorageSource> OpenAsync(CallInvoker bigQuery, BigQuerySourceOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bigQuery);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var client = new BigQueryRead.BigQueryReadClient(bigQuery);
        var readOptions = new ReadSession.Types.TableReadOptions();
        if (options.SelectedFields is { } selected)
        {
            readOptions.SelectedFields.AddRange(selected);
        }

        if (!string.IsNullOrWhiteSpace(options.RowRestriction))
        {
            readOptions.RowRestriction = options.RowRestriction;
        }

        var request = new CreateReadSessionRequest
        {
            Parent = "projects/" + options.EffectiveBillingProject,
            MaxStreamCount = options.MaxStreamCount,
            ReadSession = new ReadSession
            {
                Table = options.Table,
                DataFormat = DataFormat.Arrow,
                ReadOptions = readOptions,
                TableModifiers = options.SnapshotTime is { } snapshot
                    ? new ReadSession.Types.TableModifiers { SnapshotTime = Timestamp.FromDateTimeOffset(snapshot) }
                    : null,
            },
        };

        ReadSession session = await CreateSessionAsync(client, request, options, cancellationToken).ConfigureAwait(false);
        if (session.ArrowSchema is null || session.ArrowSchema.SerializedSchema.IsEmpty)
        {
            throw new BigQuerySourceException($"The read session for {options.Table} carries no Arrow schema.");
        }

        using var reader = new ArrowStreamReader(session.ArrowSchema.SerializedSchema.Memory);
        SourceSchema schema = ArrowSchemaMapping.Map(reader.Schema, options.Table);
        return new BigQueryStorageSource(client, options, session, schema);
    }

    private static async Task<ReadSession> CreateSessionAsync(
        BigQueryRead.BigQueryReadClient client, CreateReadSessionRequest request, BigQuerySourceOptions options, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await client.CreateReadSessionAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                TimeSpan? delay = ReadErrors.RetryDelay(e, attempt, options);
                if (delay is null || attempt >= options.MaxReadAttempts)
                {
                    throw new BigQuerySourceException($"Cannot create a read session on {options.Table} (billing project {options.EffectiveBillingProject}): {e.StatusCode}: {e.Status.Detail}", e);
                }

                await Task.Delay(delay.Value, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
