using Grpc.Core;
using StreamingFeatures.Cli.Ingest;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.GoogleCloud;
using StreamingFeatures.LoadTesting;
using StreamingFeatures.LoadTesting.Service;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>The ingest target: a <see cref="ServiceLoadTestJob"/> against a running service's topic and /metrics.</summary>
internal sealed partial class LoadTestRunner
{
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

        var job = new ServiceLoadTestJob(profile, new ServiceLoadTestOptions
        {
            Topic = _settings.Topic!,
            Metrics = _settings.MetricsUri!,
            FeatureSet = featureSet,
            FeatureSetOrigin = featureSetOrigin,
        });
        IReadOnlyList<string> misfits = job.Problems("--feature-set " + featureSetOrigin);
        if (misfits.Count > 0)
        {
            return BadInput(string.Join(Environment.NewLine + "error: ", misfits));
        }

        try
        {
            using PubSubConnection pubSub = await PubSubConnection.ConnectAsync(_settings.PubSubEmulatorHost, _settings.CredentialsFile, stop).ConfigureAwait(false);
            if (_settings.DryRun)
            {
                await job.CheckAsync(pubSub, new ConsoleListener(_settings.Quiet, _settings.JsonOutput), stop).ConfigureAwait(false);
                return DryRun(profile, output, $"{_settings.Topic} exists on {pubSub.Address.Authority}, {_settings.MetricsUri} answered");
            }

            LoadTestResult result = await job.RunAsync(pubSub, new ConsoleListener(_settings.Quiet, _settings.JsonOutput), stop).ConfigureAwait(false);
            return Finish(profile, result, baseline, output, stop);
        }
        catch (TopicNotFoundException e)
        {
            return BadInput($"--topic {e.Topic} does not exist on {e.Host}: name the topic the service's subscription reads (ingest --local creates its --topic, default projects/local/topics/{IngestSettings.LocalTopic}).");
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
}
