using Google.Cloud.PubSub.V1;
using StreamingFeatures.Keys;
using StreamingFeatures.LoadTesting.Targets;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.LoadTesting.Service;

/// <summary>The run: publish on schedule, scrape every interval, stop once all is acked or the drain ran out.</summary>
public sealed partial class ServiceLoadTestJob
{
    private async Task<LoadTestResult> MeasureAsync(
        Publisher.PublisherClient publisherClient,
        PubSubConnection pubSub,
        ServiceScraper scraper,
        ServiceSample baselineSample,
        ILoadTestListener listener,
        CancellationToken stop)
    {
        TimeProvider time = _options.Time;

        // The service writes keys with its feature set's strategy, whatever the profile's rowKey says.
        KeyRanges ranges = KeyRanges.Even(_profile.Measure.KeyRanges, _profile.Keys.KeySpace, _options.FeatureSet.RowKey);
        var recorder = new ServiceRecorder(_schedule, ranges, _profile.Measure, time);
        int entityColumn = _rows.Schema.IndexOf(SyntheticSource.EntityColumn);
        var publisher = new RowPublisher(publisherClient, _options.Topic, _rows, _schedule, time, () => recorder.Elapsed, chunk => recorder.Published(chunk, entityColumn));
        var keys = new RowKeyFormat(_options.FeatureSet.RowKey);
        string pubSubName = pubSub.IsEmulator ? "emulator " + pubSub.Address.Authority : "Google Cloud";
        listener.Started(new LoadTestStart(
            _profile.Name,
            "events",
            $"{publisher.Topic} ({pubSubName}), measuring the service at {scraper.Metrics}",
            $"{keys} ({_options.FeatureSetOrigin})",
            "events",
            _schedule.TotalRows,
            _schedule.Duration,
            _profile.Measure.Drain,
            _profile.Shape.Kind,
            ranges.Count,
            "even"));
        if (_profile.Measure.KeyRangeSource == KeyRangeSource.Sampled)
        {
            listener.Note("measure.keyRangeSource sampled: the load test does not read the service's table, so the key ranges are even splits.");
        }

        DateTimeOffset startedAt = time.GetUtcNow();
        TimeSpan deadline = _schedule.Duration + _profile.Measure.Drain;
        TimeSpan interval = _profile.Measure.Interval;
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
                    await Task.Delay(wait, time, stop).ConfigureAwait(false);
                }

                try
                {
                    listener.IntervalClosed(recorder.CloseInterval(await scraper.ScrapeAsync(stop).ConfigureAwait(false)));
                    lastScrapeError = null;
                }
                catch (ScrapeException e) when (e.Message != lastScrapeError)
                {
                    // The next good scrape closes an interval spanning both; one warning per distinct failure.
                    listener.Warning(e.Message);
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
            listener.Warning($"publishing to {publisher.Topic} failed after {publisher.Published:N0} events: {failure.StatusCode} {failure.Status.Detail}");
        }
        else if (!recorder.AllAcked && !stop.IsCancellationRequested)
        {
            listener.Warning($"the service had acked {recorder.AckedEvents:N0} of {recorder.PublishedEvents:N0} published events {_profile.Measure.Drain.TotalSeconds:0.#} s after the last planned one; the rest count as unfinished.");
        }

        var environment = LoadRecorder.DefaultEnvironment();
        environment["pubsub"] = pubSubName;
        environment["topic"] = publisher.Topic;
        environment["service metrics"] = scraper.Metrics.ToString();
        environment["feature set"] = _options.FeatureSetOrigin;
        environment["keys"] = keys.ToString();
        environment["hotspot"] = "published events per key range and interval, keyed as the feature set keys them";
        environment["cpu and memory"] = "the service's process, from its System.Runtime metrics";
        return recorder.Result(_profile, startedAt, publisher.Topic, scraper.Metrics.ToString(), environment);
    }
}
