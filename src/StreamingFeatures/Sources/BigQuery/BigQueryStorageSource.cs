using System.Globalization;
using Google.Cloud.BigQuery.Storage.V1;
using Google.Protobuf;
using Grpc.Core;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// Rows of a BigQuery table through the Storage Read API, in Arrow (default) or Avro format. <see cref="OpenAsync"/>
/// creates the read session up front, so a missing table or an unmappable column fails before anything is written;
/// RunAsync reads every stream in parallel (stream <c>i</c> is partition <c>i</c>, offsets are row numbers within the
/// stream).
/// </summary>
public sealed partial class BigQueryStorageSource : IRowSource
{
    private readonly BigQueryRead.BigQueryReadClient _client;
    private readonly BigQuerySourceOptions _options;
    private readonly IReadRowsDecoder _decoder;

    private BigQueryStorageSource(BigQueryRead.BigQueryReadClient client, BigQuerySourceOptions options, BigQueryReadSessionInfo session, SessionSchema schema, long? expectedRows)
    {
        _client = client;
        _options = options;
        Schema = schema.Schema;
        _decoder = schema.Decoder;
        Session = session;
        DataFormat = schema.Format;
        ArrowSchema = schema.Arrow;
        AvroSchema = schema.Avro;
        // A shard expects its streams' share of the session's estimate (streams split a table about evenly).
        int owned = Enumerable.Range(0, session.Streams.Count).Count(options.OwnsStream);
        ExpectedRows = options.ShardCount > 1 && expectedRows is { } all && session.Streams.Count > 0 ? all * owned / session.Streams.Count : expectedRows;
        OwnedStreams = owned;
    }

    public SourceSchema Schema { get; }

    public string Description => string.Create(CultureInfo.InvariantCulture, $"bigquery({_options.Table}, {Session.Streams.Count} streams{Shard}{(DataFormat == BigQueryDataFormat.Avro ? ", Avro" : "")})");

    /// <summary>Streams this shard reads (every stream unsharded).</summary>
    public int OwnedStreams { get; }

    public long? ExpectedRows { get; }

    private string Shard => _options.ShardCount > 1
        ? string.Create(CultureInfo.InvariantCulture, $", shard {_options.ShardIndex} of {_options.ShardCount} reads {OwnedStreams}")
        : string.Empty;

    public BigQueryReadSessionInfo Session { get; }

    /// <summary>The format the session was created in; its streams are read in it until the session expires.</summary>
    public BigQueryDataFormat DataFormat { get; }

    /// <summary>An Arrow session's schema in IPC form (empty for Avro); a checkpoint keeps it to go on reading the session later.</summary>
    public ByteString ArrowSchema { get; }

    /// <summary>An Avro session's JSON schema (null for Arrow); a checkpoint keeps it to go on reading the session later.</summary>
    public string? AvroSchema { get; }

    /// <summary>Validates <paramref name="options"/>, creates the read session and maps its schema.</summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    /// <exception cref="BigQuerySourceException">The table is missing or unreadable, or a column cannot map.</exception>
    /// <exception cref="CallGaveUpException">BigQuery stayed unreachable past <see cref="BigQuerySourceOptions.RetryDeadline"/>.</exception>
    public static async Task<BigQueryStorageSource> OpenAsync(CallInvoker bigQuery, BigQuerySourceOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bigQuery);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var client = new BigQueryRead.BigQueryReadClient(bigQuery);
        CreateReadSessionRequest request = SessionRequest(options);
        ReadSession session = await CreateSessionAsync(client, request, options, cancellationToken).ConfigureAwait(false);
        SessionSchema schema = options.DataFormat == BigQueryDataFormat.Avro
            ? AvroSession(session.AvroSchema?.Schema, options.Table)
            : ArrowSession(session.ArrowSchema?.SerializedSchema, options.Table);
        var info = new BigQueryReadSessionInfo(
            session.Name,
            options.SnapshotTime ?? session.TableModifiers?.SnapshotTime?.ToDateTimeOffset(),
            [.. session.Streams.Select(s => s.Name)],
            session.ExpireTime?.ToDateTimeOffset(),
            session.EstimatedRowCount,
            session.EstimatedTotalBytesScanned);
        long? expected = session.EstimatedRowCount > 0 || session.Streams.Count == 0 ? session.EstimatedRowCount : null;
        return new BigQueryStorageSource(client, options, info, schema, expected);
    }

    /// <summary>
    /// Goes on reading an Arrow session an earlier run created (its streams, offsets and snapshot stay valid until it
    /// expires, 6 hours after creation), without creating a new one: a new session may split the table differently.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid, or ask for Avro.</exception>
    /// <exception cref="BigQuerySourceException">The session has expired or its schema cannot map.</exception>
    public static BigQueryStorageSource Resume(CallInvoker bigQuery, BigQuerySourceOptions options, BigQueryReadSessionInfo session, ByteString arrowSchema)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Resume(bigQuery, options, session, BigQueryDataFormat.Arrow, () => ArrowSession(arrowSchema, options.Table));
    }

    /// <summary>Goes on reading an Avro session an earlier run created, from its JSON schema; see <see cref="Resume(CallInvoker, BigQuerySourceOptions, BigQueryReadSessionInfo, ByteString)"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid, or ask for Arrow.</exception>
    /// <exception cref="BigQuerySourceException">The session has expired or its schema cannot map.</exception>
    public static BigQueryStorageSource ResumeAvro(CallInvoker bigQuery, BigQuerySourceOptions options, BigQueryReadSessionInfo session, string avroSchema)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Resume(bigQuery, options, session, BigQueryDataFormat.Avro, () => AvroSession(avroSchema, options.Table));
    }

    private static BigQueryStorageSource Resume(CallInvoker bigQuery, BigQuerySourceOptions options, BigQueryReadSessionInfo session, BigQueryDataFormat format, Func<SessionSchema> schema)
    {
        ArgumentNullException.ThrowIfNull(bigQuery);
        ArgumentNullException.ThrowIfNull(session);
        options.Validate();
        if (options.DataFormat != format)
        {
            throw new ArgumentException($"DataFormat is {options.DataFormat} but the session {session.Name} was created in {format} format; a session is read in the format it was created with.");
        }

        if (session.ExpireTime is { } expires && expires <= options.TimeProvider.GetUtcNow())
        {
            throw new BigQuerySourceException(string.Create(
                CultureInfo.InvariantCulture,
                $"The read session {session.Name} on {options.Table} expired at {expires:u} (BigQuery keeps read sessions for 6 hours), so its streams and offsets cannot be read again. The rows already written stay; start over with --restart to read the table again (writes are idempotent; shards: delete the shards' plan row first, or every shard uses another checkpoint table)."));
        }

        long? expected = session.EstimatedRowCount > 0 ? session.EstimatedRowCount : null;
        return new BigQueryStorageSource(new BigQueryRead.BigQueryReadClient(bigQuery), options, session, schema(), expected);
    }

    /// <summary>
    /// The <c>x-goog-request-params</c> header Google's front ends route by (the resource the request names); the
    /// generated client does not add it, Google's own libraries do.
    /// </summary>
    internal static Metadata RoutingHeader(string field, string value) =>
        new() { { "x-goog-request-params", field + "=" + Uri.EscapeDataString(value) } };

    /// <exception cref="CallGaveUpException">Transient failures went on past <see cref="BigQuerySourceOptions.RetryDeadline"/>.</exception>
    private static async Task<ReadSession> CreateSessionAsync(
        BigQueryRead.BigQueryReadClient client, CreateReadSessionRequest request, BigQuerySourceOptions options, CancellationToken cancellationToken)
    {
        var retry = new CallRetry(options.SessionRetry, options.TimeProvider);
        Metadata headers = RoutingHeader("read_session.table", request.ReadSession.Table);
        try
        {
            return await retry.ExecuteAsync(
                $"BigQuery CreateReadSession on table '{options.Table}'",
                attempt => client.CreateReadSessionAsync(request, headers, attempt.Deadline, attempt.CancellationToken).ResponseAsync,
                cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BigQuerySourceException($"Cannot create a read session on {options.Table} (billing project {options.EffectiveBillingProject}): {e.StatusCode}: {e.Status.Detail}", e);
        }
    }
}
