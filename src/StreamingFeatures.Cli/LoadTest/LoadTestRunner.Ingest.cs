using Google.Cloud.PubSub.V1;
using Grpc.Core;
using StreamingFeatures.Cli.Ingest;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.GoogleCloud;
using StreamingFeatures.Keys;
using StreamingFeatures.LoadTesting;
using StreamingFeatures.LoadTesting.Service;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>
/// The ingest target: publish the profile's events on schedule to a running service's topic and measure the service
/// by scraping its <c>/metrics</c> every interval, counting from a baseline scrape, until every published event is
/// acked or the drain runs out.
/// </summary>
internal sealed partial class LoadTestRunner
{
    private static readonly TimeSpan s_scrapeTimeout = TimeSpan.FromSeconds(5);

    private async Task<int> RunIngestAsync(LoadProfile profile, LoadTestResult? baseline, DirectoryInfo output, CancellationToken stop)
    {
        FeatureSetOptions featureSet;
        string featureSetOrigin = _settings.FeatureSet?.FullName ?? "the sample feature set of ingest --local";
        try
        {
            featureSet = _settings.FeatureSet is { } file ? FeatureSetLoader.Load(file.FullName) : SourceSpec.Sample(1).FeatureSet(IngestCommand.SampleTable);
        }
        catch (FeatureSetException e)
        {
            return BadInput(e.Message);
        }

        var schedule = RateSchedule.For(profile);
        SyntheticSource rows = LoadPlan.Rows(profile, schedule.TotalRows, RowPublisher.MaxMessagesPerRequest);
        IReadOnlyList<string> misfits = IngestFeatureSetFit.Problems(rows, profile.Rows.ValueBytes, featureSet, "--feature-set " + featureSetOrigin);
        if (misfits.Count > 0)
        {
            return BadInput(string.Join(Environment.NewLine + "error: ", misfits));
        }

        try
        {
            using PubSubConnection pubSub = await PubSubConnection.ConnectAsync(_settings.PubSubEmulatorHost, _settings.CredentialsFile, stop).ConfigureAwait(false);
            var publisherClient = new Publisher.PublisherClient(pubSub.CallInvoker);
            string topic = _settings.Topic!;
            try
            {
                await publisherClient.GetTopicAsync(new GetTopicRequest { Topic = topic }, cancellationToken: stop).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return BadInput($"--topic {topic} does not exist on {pubSub.Address.Authority}: name the topic the service's subscription reads (ingest --local creates its --topic, default projects/local/topics/{IngestSettings.LocalTopic}).");
            }

            using var http = new HttpClient { Timeout = s_scrapeTimeout };
            var scraper = new ServiceScraper(http, _settings.MetricsUri!);
            ServiceSample first = await scraper.ScrapeAsync(stop).ConfigureAwait(false);
            WarnOnCoarseBuckets(first);
            LoadTestResult result = await MeasureServiceAsync(profile, schedule, featureSet, featureSetOrigin, rows, publisherClient, pubSub, scraper, first, stop).ConfigureAwait(false);
            return Finish(profile, result, baseline, output, stop);
        }
        catch (ScrapeException e)
        {
            Console.Error.WriteLine($"error: --metrics-url: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (RpcException e) when (!stop.IsCancellationRequested)
        {
            Console.Error.WriteLine($"error: Pub/Sub refused a call for --topic {_settings.Topic}: {e.StatusCode} {e.Status.Detail}");
            return ExitCodes.Failure;
        }
        catch (CredentialsException e)
        {
            return BadInput(e.Message);
        }
    }

    private async Task<LoadTestResult> MeasureServiceAsync(
        LoadProfile profile,
        RateSchedule schedule,
        FeatureSetOptions featureSet,
        string featureSetOrigin,
        SyntheticSource rows,
        Publisher.PublisherClient publisherClient,
        PubSubConnection pubSub,
        ServiceScraper scraper,
        ServiceSample baselineSample,
        CancellationToken stop)
    {
        // The service writes keys with its feature set's strategy, whatever the profile's rowKey says.
        KeyRanges ranges = KeyRanges.Even(profile.Measure.KeyRanges, profile.Keys.KeySpace, featureSet.RowKey);
        var recorder = new ServiceRecorder(schedule, ranges, profile.Measure);
        int entityColumn = rows.Schema.IndexOf(SyntheticSource.EntityColumn);
        var publisher = new RowPublisher(publisherClient, _settings.Topic!, rows, schedule, TimeProvider.System, () => recorder.Elapsed, chunk => recorder.Published(chunk, entityColumn));
        var keys = new RowKeyFormat(featureSet.RowKey);
        Console.WriteLine($"Load test '{profile.Name}': events → {publisher.Topic} ({(pubSub.IsEmulator ? "emulator " + pubSub.Address.Authority : "Google Cloud")}), measuring the service at {scraper.Metrics}; keys {keys} ({featureSetOrigin}).");
        Console.WriteLine($"Plan: {schedule.TotalRows:N0} events over {schedule.Duration.TotalSeconds:0.#} s ({profile.Shape.Kind}), then up to {profile.Measure.Drain.TotalSeconds:0.#} s for the service to ack them all; {ranges.Count} key ranges (even).");
        if (profile.Measure.KeyRangeSource == KeyRangeSource.Sampled)
        {
            Console.WriteLine("measure.keyRangeSource sampled: the load test does not read the service's table, so the key ranges are even splits.");
        }

        DateTimeOffset startedAt = TimeProvider.System.GetUtcNow();
        TimeSpan deadline = schedule.Duration + profile.Measure.Drain;
        TimeSpan interval = profile.Measure.Interval;
        string? lastScrapeError = null;
        recorder.Start(baselineSample);
        publisher.Start(stop);
        try
        {
            for (long i = 1; !stop.IsCancellationRequested; i++)
            {
                TimeSpan wait = (interval * i) - recorder.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, TimeProvider.System, stop).ConfigureAwait(false);
                }

                try
                {
                    LoadInterval closed = recorder.CloseInterval(await scraper.ScrapeAsync(stop).ConfigureAwait(false));
                    lastScrapeError = null;
                    if (!_settings.Quiet)
                    {
                        PrintInterval(closed);
                    }
                }
                catch (ScrapeException e) when (e.Message != lastScrapeError)
                {
                    // The next good scrape closes an interval spanning both; one line per distinct failure.
                    Console.Error.WriteLine($"warning: {e.Message}");
                    lastScrapeError = e.Message;
                }
                catch (ScrapeException)
                {
                    // Already reported.
                }

                if (recorder.AllAcked || publisher.Failure is not null || recorder.Elapsed >= deadline)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped: report what was measured.
        }
        finally
        {
            await publisher.StopAsync().ConfigureAwait(false);
        }

        if (publisher.Failure is { } failure)
        {
            Console.Error.WriteLine($"error: publishing to {publisher.Topic} failed after {publisher.Published:N0} events: {failure.StatusCode} {failure.Status.Detail}");
        }
        else if (!recorder.AllAcked && !stop.IsCancellationRequested)
        {
            Console.Error.WriteLine($"warning: the service had acked {recorder.AckedEvents:N0} of {recorder.PublishedEvents:N0} published events {profile.Measure.Drain.TotalSeconds:0.#} s after the last planned one; the rest count as unfinished.");
        }

        var environment = LoadRecorder.DefaultEnvironment();
        environment["pubsub"] = pubSub.IsEmulator ? "emulator " + pubSub.Address.Authority : "Google Cloud";
        environment["topic"] = publisher.Topic;
        environment["service metrics"] = scraper.Metrics.ToString();
        environment["feature set"] = featureSetOrigin;
        environment["keys"] = keys.ToString();
        environment["hotspot"] = "published events per key range and interval, keyed as the feature set keys them";
        environment["cpu and memory"] = "the service's process, from its System.Runtime metrics";
        return recorder.Result(profile, startedAt, publisher.Topic, scraper.Metrics.ToString(), environment);
    }

    /// <summary>OpenTelemetry's default buckets (0, 5, 10, 25, ... in seconds) put every ack under 5 s in one bucket.</summary>
    private static void WarnOnCoarseBuckets(ServiceSample sample)
    {
        if (sample.Freshness is { UpperBounds: [0, 5, ..] })
        {
            Console.Error.WriteLine("warning: the service's freshness histogram has OpenTelemetry's default buckets (0, 5, 10, 25, ... s): latency percentiles below 5 s cannot be told apart. Run a service whose host sets explicit freshness buckets.");
        }
    }
}
