using Google.Cloud.PubSub.V1;
using Grpc.Core;
using StreamingFeatures.LoadTesting.Targets;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.LoadTesting.Service;

/// <summary>
/// The ingest target: publishes the profile's events on schedule to a running service's topic and measures the
/// service by scraping its <c>/metrics</c> every interval, counting from a baseline scrape, until every published
/// event is acked or the drain runs out.
/// </summary>
public sealed partial class ServiceLoadTestJob
{
    private static readonly TimeSpan s_scrapeTimeout = TimeSpan.FromSeconds(5);

    private readonly LoadProfile _profile;
    private readonly ServiceLoadTestOptions _options;
    private readonly RateSchedule _schedule;
    private readonly SyntheticSource _rows;

    public ServiceLoadTestJob(LoadProfile profile, ServiceLoadTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(options);
        _profile = profile;
        _options = options;
        _schedule = RateSchedule.For(profile);
        _rows = LoadPlan.Rows(profile, _schedule.TotalRows, RowPublisher.MaxMessagesPerRequest);
    }

    /// <summary>
    /// Whether the profile's events become rows under the service's feature set: every misfit, each naming
    /// <paramref name="origin"/> (default <see cref="ServiceLoadTestOptions.FeatureSetOrigin"/>), the field and what the
    /// events carry. Check before running: events that do not fit would all turn into poison messages.
    /// </summary>
    public IReadOnlyList<string> Problems(string? origin = null) =>
        IngestFeatureSetFit.Problems(_rows, _profile.Rows.ValueBytes, _options.FeatureSet, origin ?? _options.FeatureSetOrigin);

    /// <summary>Runs the profile against the service; a stop ends it early and the figures cover what ran.</summary>
    /// <exception cref="TopicNotFoundException">The topic does not exist: nothing was published.</exception>
    /// <exception cref="ScrapeException">The service's metrics could not be read before the run started.</exception>
    /// <exception cref="RpcException">Pub/Sub refused a call before the run started.</exception>
    public async Task<LoadTestResult> RunAsync(PubSubConnection pubSub, ILoadTestListener? listener = null, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(pubSub);
        listener ??= NullLoadTestListener.Instance;
        IReadOnlyList<string> problems = Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        (Publisher.PublisherClient publisherClient, ServiceScraper scraper, HttpClient http, ServiceSample first) = await ConnectAsync(pubSub, listener, stop).ConfigureAwait(false);
        using (http)
        {
            return await MeasureAsync(publisherClient, pubSub, scraper, first, listener, stop).ConfigureAwait(false);
        }
    }

    /// <summary>What a dry run checks: the topic exists and the service's metrics answer. Publishes nothing.</summary>
    /// <exception cref="TopicNotFoundException">The topic does not exist.</exception>
    /// <exception cref="ScrapeException">The service's metrics could not be read.</exception>
    public async Task CheckAsync(PubSubConnection pubSub, ILoadTestListener? listener = null, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(pubSub);
        (_, _, HttpClient http, _) = await ConnectAsync(pubSub, listener ?? NullLoadTestListener.Instance, stop).ConfigureAwait(false);
        http.Dispose();
    }

    private async Task<(Publisher.PublisherClient Publisher, ServiceScraper Scraper, HttpClient Http, ServiceSample First)> ConnectAsync(PubSubConnection pubSub, ILoadTestListener listener, CancellationToken stop)
    {
        var publisherClient = new Publisher.PublisherClient(pubSub.CallInvoker);
        try
        {
            await publisherClient.GetTopicAsync(new GetTopicRequest { Topic = _options.Topic }, cancellationToken: stop).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw new TopicNotFoundException(_options.Topic, pubSub.Address.Authority);
        }

        var http = new HttpClient { Timeout = s_scrapeTimeout };
        var scraper = new ServiceScraper(http, _options.Metrics);
        ServiceSample first;
        try
        {
            first = await scraper.ScrapeAsync(stop).ConfigureAwait(false);
        }
        catch
        {
            http.Dispose();
            throw;
        }

        if (first.Freshness is { UpperBounds: [0, 5, ..] })
        {
            // OpenTelemetry's default buckets put every ack under 5 s in one bucket.
            listener.Warning("the service's freshness histogram has OpenTelemetry's default buckets (0, 5, 10, 25, ... s): latency percentiles below 5 s cannot be told apart. Run a service whose host sets explicit freshness buckets.");
        }

        return (publisherClient, scraper, http, first);
    }
}
