using System.Globalization;
using Apache.Arrow.Ipc;
using Google.Cloud.BigQuery.Storage.V1;
using Google.Protobuf;
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

    private BigQueryStorageSource(BigQueryRead.BigQueryReadClient client, BigQuerySourceOptions options, BigQueryReadSessionInfo session, ByteString arrowSchema, SourceSchema schema, long? expectedRows)
    {
        _client = client;
        _options = options;
        Schema = schema;
        _decoder = new ArrowBatchDecoder(arrowSchema, schema);
        Session = session;
        ArrowSchema = arrowSchema;
        ExpectedRows = expectedRows;
    }

    public SourceSchema Schema { get; }

    public string Description => string.Create(CultureInfo.InvariantCulture, $"bigquery({_options.Table}, {Session.Streams.Count} streams)");

    public long? ExpectedRows { get; }

    public BigQueryReadSessionInfo Session { get; }

    /// <summary>The session's Arrow schema in IPC form; a checkpoint keeps it to go on reading the session later.</summary>
    public ByteString ArrowSchema { get; }

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

        var info = new BigQueryReadSessionInfo(
            session.Name,
            options.SnapshotTime ?? session.TableModifiers?.SnapshotTime?.ToDateTimeOffset(),
            [.. session.Streams.Select(s => s.Name)],
            session.ExpireTime?.ToDateTimeOffset(),
            session.EstimatedRowCount);
        ByteString arrowSchema = session.ArrowSchema.SerializedSchema;
        long? expected = session.EstimatedRowCount > 0 || session.Streams.Count == 0 ? session.EstimatedRowCount : null;
        return new BigQueryStorageSource(client, options, info, arrowSchema, MapSchema(arrowSchema, options.Table), expected);
    }

    /// <summary>
    /// Goes on reading a session an earlier run created (its streams, offsets and snapshot stay valid until it
    /// expires, 6 hours after creation), without creating a new one: a new session may split the table differently.
    /// </summary>
    /// <exception cref="BigQuerySourceException">The session has expired or its schema cannot map.</exception>
    public static BigQueryStorageSource Resume(CallInvoker bigQuery, BigQuerySourceOptions options, BigQueryReadSessionInfo session, ByteString arrowSchema)
    {
        ArgumentNullException.ThrowIfNull(bigQuery);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(session);
        options.Validate();
        if (session.ExpireTime is { } expires && expires <= options.TimeProvider.GetUtcNow())
        {
            throw new BigQuerySourceException(string.Create(
                CultureInfo.InvariantCulture,
                $"The read session {session.Name} on {options.Table} expired at {expires:u} (BigQuery keeps read sessions for 6 hours), so its streams and offsets cannot be read again. The rows already written stay; start over with --restart to read the table again (writes are idempotent)."));
        }

        long? expected = session.EstimatedRowCount > 0 ? session.EstimatedRowCount : null;
        return new BigQueryStorageSource(new BigQueryRead.BigQueryReadClient(bigQuery), options, session, arrowSchema, MapSchema(arrowSchema, options.Table), expected);
    }

    private static SourceSchema MapSchema(ByteString arrowSchema, string table)
    {
        using var reader = new ArrowStreamReader(arrowSchema.Memory);
        return ArrowSchemaMapping.Map(reader.Schema, table);
    }

    /// <summary>
    /// The <c>x-goog-request-params</c> header Google's front ends route by (the resource the request names); the
    /// generated client does not add it, Google's own libraries do.
    /// </summary>
    internal static Metadata RoutingHeader(string field, string value) =>
        new() { { "x-goog-request-params", field + "=" + Uri.EscapeDataString(value) } };

    private static async Task<ReadSession> CreateSessionAsync(
        BigQueryRead.BigQueryReadClient client, CreateReadSessionRequest request, BigQuerySourceOptions options, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await client.CreateReadSessionAsync(request, RoutingHeader("read_session.table", request.ReadSession.Table), cancellationToken: cancellationToken).ConfigureAwait(false);
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
