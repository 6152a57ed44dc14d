using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Google.Cloud.PubSub.V1;
using Google.Protobuf;
using Grpc.Core;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Perf.Ingest;

/// <summary>
/// JSON events of the feature set <see cref="FeatureSet"/> published to a topic: a backlog as fast as the emulator
/// takes it, or a steady rate for a while. Event n is entity <c>user-(n mod 1,000,000)</c>, event time now.
/// </summary>
internal sealed class EventPublisher
{
    public const string Family = "f";
    private const int KeySpace = 1_000_000;
    private const int MessagesPerRequest = 1_000;
    private static readonly string[] s_names = [.. Enumerable.Range(0, 100).Select(i => $"f{i}")];
    private readonly Publisher.PublisherClient _client;
    private readonly int _features;
    private long _next;

    public EventPublisher(CallInvoker invoker, int features)
    {
        _client = new Publisher.PublisherClient(invoker);
        _features = features;
    }

    public static FeatureSetOptions FeatureSet(string table, int features) => new()
    {
        Table = table,
        EntityKey = ["user"],
        EventTime = "ts",
        Families = { [Family] = new ColumnFamilyOptions { MaxVersions = 1 } },
        Features = [.. Enumerable.Range(0, features).Select(i => new FeatureOptions { Name = $"f{i}", Family = Family, Type = FeatureType.Int64 })],
    };

    public Task CreateTopicAsync(string topic) => _client.CreateTopicAsync(new Topic { Name = topic }).ResponseAsync;

    /// <summary>Publishes <paramref name="count"/> events, four requests of 1,000 at a time.</summary>
    public async Task PublishBacklogAsync(string topic, int count)
    {
        var requests = new List<PublishRequest>();
        for (int sent = 0; sent < count; sent += MessagesPerRequest)
        {
            requests.Add(Request(topic, Math.Min(MessagesPerRequest, count - sent)));
        }

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, ct) =>
            await _client.PublishAsync(request, cancellationToken: ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Publishes at <paramref name="rate"/> events/s for <paramref name="duration"/>, in requests sent every ~10 ms; returns the count.</summary>
    public async Task<long> PublishPacedAsync(string topic, double rate, TimeSpan duration)
    {
        long started = Stopwatch.GetTimestamp();
        long total = (long)(rate * duration.TotalSeconds);
        long sent = 0;
        var inFlight = new List<Task>();
        while (sent < total)
        {
            long due = Math.Min(total, (long)(rate * Stopwatch.GetElapsedTime(started).TotalSeconds));
            while (sent < due)
            {
                int count = (int)Math.Min(MessagesPerRequest, due - sent);
                inFlight.Add(_client.PublishAsync(Request(topic, count)).ResponseAsync);
                sent += count;
            }

            // A slow publish must not hold the schedule back, but it must not pile up either.
            inFlight.RemoveAll(t => t.IsCompletedSuccessfully);
            if (inFlight.Count > 16)
            {
                await Task.WhenAny(inFlight).ConfigureAwait(false);
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        return sent;
    }

    private PublishRequest Request(string topic, int count)
    {
        var request = new PublishRequest { Topic = topic };
        var buffer = new ArrayBufferWriter<byte>(64 + (24 * _features));
        long micros = (long)(DateTime.UtcNow - DateTime.UnixEpoch).TotalMicroseconds;
        for (int i = 0; i < count; i++)
        {
            long n = _next++;
            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("user", $"user-{n % KeySpace:D10}");
                json.WriteNumber("ts", micros);
                for (int f = 0; f < _features; f++)
                {
                    json.WriteNumber(s_names[f], (n * 31) + f);
                }

                json.WriteEndObject();
            }

            request.Messages.Add(new PubsubMessage { Data = ByteString.CopyFrom(buffer.WrittenSpan) });
        }

        return request;
    }
}
