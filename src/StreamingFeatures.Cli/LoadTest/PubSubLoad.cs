using System.Buffers;
using System.Text.Json;
using Google.Cloud.PubSub.V1;
using Google.Protobuf;
using Grpc.Net.Client;
using StreamingFeatures.LoadTesting;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>
/// The streaming target's publisher: a topic and subscription of their own, and the profile's rows published to it
/// on schedule, one JSON event per message (column name → value, event time in RFC 3339). Row n's event time is the
/// generator's (start + n ms), which is how the receiving side finds each row's planned time again.
/// </summary>
internal sealed class PubSubLoad
{
    private const int MaxMessagesPerRequest = 1_000;
    private readonly Publisher.PublisherClient _publisher;
    private readonly SyntheticSource _rows;
    private readonly LoadRecorder _recorder;
    private readonly CancellationTokenSource _stop = new();
    private Task _publishing = Task.CompletedTask;

    private PubSubLoad(Publisher.PublisherClient publisher, string topic, string subscription, SyntheticSource rows, LoadRecorder recorder)
    {
        _publisher = publisher;
        Topic = topic;
        Subscription = subscription;
        _rows = rows;
        _recorder = recorder;
    }

    public string Topic { get; }

    public string Subscription { get; }

    /// <summary>Messages published so far.</summary>
    public long Published { get; private set; }

    public static async Task<PubSubLoad> CreateAsync(GrpcChannel channel, string name, SyntheticSource rows, LoadRecorder recorder, CancellationToken cancellationToken)
    {
        string id = $"loadtest-{name}-{Guid.NewGuid():N}"[..Math.Min(name.Length + 18, 60)];
        var publisher = new Publisher.PublisherClient(channel);
        var subscriber = new Subscriber.SubscriberClient(channel);
        string topic = $"projects/local/topics/{id}";
        string subscription = $"projects/local/subscriptions/{id}";
        await publisher.CreateTopicAsync(new Topic { Name = topic }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await subscriber.CreateSubscriptionAsync(new Subscription { Name = subscription, Topic = topic, AckDeadlineSeconds = 60 }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new PubSubLoad(publisher, topic, subscription, rows, recorder);
    }

    public void Start(CancellationToken cancellationToken)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        _publishing = Task.Run(() => PublishAsync(linked.Token), CancellationToken.None).ContinueWith(_ => linked.Dispose(), TaskScheduler.Default);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _publishing.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        RateSchedule schedule = _recorder.Schedule;
        long sent = 0;
        try
        {
            while (sent < schedule.TotalRows)
            {
                long due = schedule.Due(_recorder.Elapsed);
                while (sent < due)
                {
                    int count = (int)Math.Min(MaxMessagesPerRequest, due - sent);
                    await _publisher.PublishAsync(Request(_rows.Read(sent, count)), cancellationToken: cancellationToken).ConfigureAwait(false);
                    sent += count;
                    Published = sent;
                }

                TimeSpan wait = schedule.DueAt(Math.Min(sent, schedule.TotalRows - 1)) - _recorder.Elapsed;
                await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait > TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20) : wait, _recorder.Time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: the rows not published count as unfinished.
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
                json.WriteStringValue(DateTimeOffset.UnixEpoch.AddTicks(times.Values[row] * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
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
