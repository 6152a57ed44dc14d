using System.Globalization;
using System.Threading.Channels;
using Google.Cloud.PubSub.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace StreamingFeatures.Tests.Sources.PubSub;

/// <summary>
/// Pub/Sub in memory, as a <see cref="CallInvoker"/>: StreamingPull answers from a backlog, Acknowledge,
/// ModifyAckDeadline and Publish are recorded, each lease's deadline is tracked on the given clock, and faults are
/// scripted (a stream that breaks after some responses, an ack or publish that fails). No network, so leases can
/// be tested on virtual time.
/// </summary>
internal sealed partial class FakePubSub(TimeProvider time) : CallInvoker
{
    private readonly Channel<ReceivedMessage> _backlog = Channel.CreateUnbounded<ReceivedMessage>();
    private readonly Lock _lock = new();
    private readonly List<StreamingPullRequest> _initialRequests = [];
    private readonly List<AcknowledgeRequest> _acks = [];
    private readonly List<ModifyAckDeadlineRequest> _modAcks = [];
    private readonly List<PublishRequest> _publishes = [];
    private readonly Dictionary<string, DateTimeOffset> _deadlines = [];
    private readonly HashSet<string> _acked = [];
    private readonly HashSet<string> _nacked = [];
    private readonly List<string> _lapsed = [];
    private int _messages;
    private int _streamCalls;
    private int _pulls;
    private int _ackCalls;
    private int _modAckCalls;

    public TimeProvider Time => time;

    public int MessagesPerResponse { get; set; } = 100;

    /// <summary>The fault of the n-th StreamingPull call (1-based), if any.</summary>
    public Func<int, StreamFault?>? StreamFaults { get; set; }

    /// <summary>The failure of the n-th Acknowledge call (1-based), if any; null lets it land.</summary>
    public Func<int, AcknowledgeRequest, RpcException?>? AckFault { get; set; }

    public Func<PublishRequest, RpcException?>? PublishFault { get; set; }

    /// <summary>What each StreamingPull response says of the subscription's exactly-once delivery (read per response).</summary>
    public bool ExactlyOnce { get; set; }

    /// <summary>The failure of the n-th ModifyAckDeadline call (1-based), if any; ids its ErrorInfo does not name land.</summary>
    public Func<int, ModifyAckDeadlineRequest, RpcException?>? ModAckFault { get; set; }

    /// <summary>Awaited before a ModifyAckDeadline call is answered: keeps it in flight.</summary>
    public Func<ModifyAckDeadlineRequest, Task>? ModAckHold { get; set; }

    public int StreamCalls => Volatile.Read(ref _streamCalls);

    /// <summary>
    /// Responses asked for, on every stream: a stream asks for the next response only once it has taken the last one
    /// in, so this moving past a count is the sign that every response before has been handled.
    /// </summary>
    public int Pulls => Volatile.Read(ref _pulls);

    public int Delivered { get; private set; }

    public List<StreamingPullRequest> InitialRequests => Locked(() => _initialRequests.ToList());

    public List<AcknowledgeRequest> Acks => Locked(() => _acks.ToList());

    public List<ModifyAckDeadlineRequest> ModAcks => Locked(() => _modAcks.ToList());

    public List<PublishRequest> Publishes => Locked(() => _publishes.ToList());

    public HashSet<string> Acked => Locked(() => _acked.ToHashSet());

    public HashSet<string> Nacked => Locked(() => _nacked.ToHashSet());

    /// <summary>Ack ids whose lease passed its deadline unextended (checked by <see cref="CheckLeases"/>).</summary>
    public List<string> Lapsed => Locked(() => _lapsed.ToList());

    /// <summary>Queues messages; ack id <c>ack-N</c>, message id <c>m-N</c>, published now.</summary>
    public List<string> Enqueue(params string[] payloads) => [.. payloads.Select(p => Enqueue(new PubsubMessage { Data = ByteString.CopyFromUtf8(p) }))];

    public string Enqueue(PubsubMessage message)
    {
        int n = Interlocked.Increment(ref _messages);
        message.MessageId = "m-" + n.ToString(CultureInfo.InvariantCulture);
        message.PublishTime ??= Timestamp.FromDateTimeOffset(time.GetUtcNow());
        string ackId = "ack-" + n.ToString(CultureInfo.InvariantCulture);
        _backlog.Writer.TryWrite(new ReceivedMessage { AckId = ackId, Message = message });
        return ackId;
    }

    public static string Event(int user, int clicks) => string.Create(CultureInfo.InvariantCulture, $$"""{"user":"u-{{user}}","ts":"2026-01-01T00:00:00Z","clicks":{{clicks}}}""");

    public static string Padded(int user, int bytes) => $$"""{"user":"u-{{user}}","name":"{{new string('x', bytes)}}"}""";

    /// <summary>Records every outstanding lease whose deadline is past now.</summary>
    public void CheckLeases()
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            foreach ((string ackId, DateTimeOffset deadline) in _deadlines)
            {
                if (deadline < now && !_lapsed.Contains(ackId))
                {
                    _lapsed.Add(ackId);
                }
            }
        }
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        if (method.Name != "StreamingPull")
        {
            throw new NotSupportedException(method.FullName);
        }

        int number = Interlocked.Increment(ref _streamCalls);
        var stream = new PullStream(this, StreamFaults?.Invoke(number), options.CancellationToken);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            (IClientStreamWriter<TRequest>)(object)stream,
            (IAsyncStreamReader<TResponse>)(object)stream,
            Task.FromResult(new Metadata()),
            () => Grpc.Core.Status.DefaultSuccess,
            () => [],
            () => { });
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Task<TResponse> response = AnswerAsync(method, request, options.CancellationToken);
        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Grpc.Core.Status.DefaultSuccess, () => [], () => { });
    }

    private async Task<TResponse> AnswerAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CancellationToken call)
        where TRequest : class
        where TResponse : class
    {
        if (request is ModifyAckDeadlineRequest held && ModAckHold is { } hold)
        {
            try
            {
                await hold(held).WaitAsync(call);
            }
            catch (OperationCanceledException)
            {
                // As Grpc.Net.Client reports a cancelled call.
                throw new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "Call canceled by the client."));
            }
        }

        object answer = method.Name switch
        {
            "Acknowledge" => Acknowledge((AcknowledgeRequest)(object)request),
            "ModifyAckDeadline" => ModifyAckDeadline((ModifyAckDeadlineRequest)(object)request),
            "Publish" => Publish((PublishRequest)(object)request),
            _ => throw new NotSupportedException(method.FullName),
        };
        return (TResponse)answer;
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException(method.FullName);

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException(method.FullName);

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException(method.FullName);

    public static string Text(PubsubMessage message) => System.Text.Encoding.UTF8.GetString(message.Data.Span);

    private T Locked<T>(Func<T> read)
    {
        lock (_lock)
        {
            return read();
        }
    }
}

/// <summary>A stream that fails with <paramref name="Code"/> after <paramref name="AfterResponses"/> responses (0: at once).</summary>
internal sealed record StreamFault(int AfterResponses, StatusCode Code);
