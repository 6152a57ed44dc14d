using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Google.Cloud.PubSub.V1;
using Google.Protobuf;
using Grpc.Core;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.LoadTesting.Targets;

/// <summary>
/// Publishes the profile's rows to a topic on the schedule, one JSON event per message (column name → value, event
/// time in RFC 3339 with microseconds), in requests of up to <see cref="MaxMessagesPerRequest"/>. Row n's event time
/// is the generator's (start + n ms). Shared by the <c>pubsub</c> target (its own topic, read in process) and the
/// <c>ingest</c> target (a running service's topic).
/// </summary>
internal sealed class RowPublisher
{
    public const int MaxMessagesPerRequest = 1_000;

    private readonly Publisher.PublisherClient _publisher;
    private readonly SyntheticSource _rows;
    private readonly RateSchedule _schedule;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan> _elapsed;
    private readonly Action<SourceChunk>? _published;
    private readonly CancellationTokenSource _stop = new();
    private Task _publishing = Task.CompletedTask;
    private long _count;

    /// <summary>A publisher of <paramref name="rows"/> to <paramref name="topic"/> on <paramref name="schedule"/>.</summary>
    /// <param name="publisher">The Pub/Sub publisher client.</param>
    /// <param name="topic">projects/P/topics/T.</param>
    /// <param name="rows">The profile's generator.</param>
    /// <param name="schedule">When each row is due.</param>
    /// <param name="time">The waits' clock.</param>
    /// <param name="elapsed">The schedule's clock (time since the run started).</param>
    /// <param name="published">Told of each chunk after Pub/Sub accepted it.</param>
    public RowPublisher(Publisher.PublisherClient publisher, string topic, SyntheticSource rows, RateSchedule schedule, TimeProvider time, Func<TimeSpan> elapsed, Action<SourceChunk>? published = null)
    {
        _publisher = publisher;
        Topic = topic;
        _rows = rows;
        _schedule = schedule;
        _time = time;
        _elapsed = elapsed;
        _published = published;
    }

    public string Topic { get; }

    /// <summary>Messages published so far.</summary>
    public long Published => Interlocked.Read(ref _count);

    /// <summary>Completes when every planned row is published, publishing stopped or a publish failed.</summary>
    public Task Publishing => _publishing;

    /// <summary>The publish Pub/Sub refused (after the client's retries), which ended publishing; null if none did.</summary>
    public RpcException? Failure { get; private set; }

    public void Start(CancellationToken cancellationToken)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        _publishing = Task.Run(() => PublishAsync(linked.Token), CancellationToken.None);
        _ = _publishing.ContinueWith(_ => linked.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _publishing.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        long sent = 0;
        try
        {
            while (sent < _schedule.TotalRows)
            {
                long due = _schedule.Due(_elapsed());
                while (sent < due)
                {
                    int count = (int)Math.Min(MaxMessagesPerRequest, due - sent);
                    SourceChunk chunk = _rows.Read(sent, count);
                    await _publisher.PublishAsync(Request(chunk), cancellationToken: cancellationToken).ConfigureAwait(false);
                    sent += count;
                    Interlocked.Exchange(ref _count, sent);
                    _published?.Invoke(chunk);
                }

                TimeSpan wait = _schedule.DueAt(Math.Min(sent, _schedule.TotalRows - 1)) - _elapsed();
                await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait > TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20) : wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: the rows not published count as unfinished.
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The rows not published count as unfinished; the run reports why.
            Failure = e;
        }
    }

    private PublishRequest Request(SourceChunk chunk)
    {
        var request = new PublishRequest { Topic = Topic };
        var buffer = new ArrayBufferWriter<byte>(256);
        IReadOnlyList<SourceField> fields = _rows.Schema.Fields;
        for (int r = 0; r < chunk.RowCount; r++)
        {
            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                for (int c = 0; c < fields.Count; c++)
                {
                    json.WritePropertyName(fields[c].Name);
                    WriteValue(json, chunk.Columns[c], r);
                }

                json.WriteEndObject();
            }

            request.Messages.Add(new PubsubMessage { Data = ByteString.CopyFrom(buffer.WrittenSpan) });
        }

        return request;
    }

    private static void WriteValue(Utf8JsonWriter json, ColumnVector column, int row)
    {
        switch (column)
        {
            case Int64Column { Type: ColumnType.Timestamp } times:
                json.WriteStringValue(DateTimeOffset.UnixEpoch.AddTicks(times.Values[row] * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
                break;
            case Int64Column longs:
                json.WriteNumberValue(longs.Values[row]);
                break;
            case Float64Column doubles:
                json.WriteNumberValue(doubles.Values[row]);
                break;
            case BoolColumn bools:
                json.WriteBooleanValue(bools.Values[row]);
                break;
            case BinaryColumn text:
                json.WriteStringValue(text.Get(row));
                break;
            default:
                json.WriteNullValue();
                break;
        }
    }
}
