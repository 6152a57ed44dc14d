using Grpc.Net.Client;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Emulators;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.LoadTesting.Targets;

/// <summary>
/// The profile's target, opened: the source the pipeline reads, who must hear of completed rows, and what must run
/// beside it (the Pub/Sub publisher) and be stopped after it (emulators, channels).
/// </summary>
internal sealed class TargetRun : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<IDisposable> _channels = [];
    private RowPublisher? _publisher;
    private PubSubSource? _pubSub;

    private TargetRun(IRowSource source, IRowCompletion completion)
    {
        Source = source;
        Completion = completion;
    }

    public IRowSource Source { get; private set; }

    public IRowCompletion Completion { get; private set; }

    public IDeadLetterSink? DeadLetters { get; private set; }

    public static async Task<TargetRun> OpenAsync(LoadProfile profile, SyntheticSource rows, FeatureSetOptions featureSet, LoadRecorder recorder, PipelineMetrics metrics, CancellationToken cancellationToken)
    {
        switch (profile.Target)
        {
            case LoadTarget.Synthetic or LoadTarget.Serve:
                return new TargetRun(new ScheduledSource(rows, recorder), recorder);
            case LoadTarget.BigQuery:
                return await OpenBigQueryAsync(rows, featureSet, recorder, cancellationToken).ConfigureAwait(false);
            default:
                return await OpenPubSubAsync(profile, rows, featureSet, recorder, metrics, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts what runs beside the pipeline: the publisher of the streaming target.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _publisher?.Start(cancellationToken);
        return Task.CompletedTask;
    }

    /// <summary>
    /// After the pipeline: stops the publisher and closes the Pub/Sub source (last acks, nacks). Tells
    /// <paramref name="listener"/> when publishing had failed (the rows not published count as unfinished).
    /// </summary>
    public async Task StopAsync(ILoadTestListener listener)
    {
        if (_publisher is not null)
        {
            await _publisher.StopAsync().ConfigureAwait(false);
            if (_publisher.Failure is { } failure)
            {
                listener.Warning($"publishing to {_publisher.Topic} failed after {_publisher.Published:N0} events: {failure.StatusCode} {failure.Status.Detail}");
            }
        }

        if (_pubSub is not null)
        {
            await _pubSub.CloseAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IDisposable channel in _channels)
        {
            channel.Dispose();
        }

        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<TargetRun> OpenBigQueryAsync(SyntheticSource rows, FeatureSetOptions featureSet, LoadRecorder recorder, CancellationToken cancellationToken)
    {
        // Chunks are the pacing grain, and a row waits for the last of its chunk: responses of about 20 ms of rows
        // at the lowest rate the schedule offers keep that wait short.
        double lowest = recorder.Schedule.Stages.SelectMany(s => new[] { s.FromRate, s.ToRate }).Where(r => r > 0).DefaultIfEmpty(1_000).Min();
        int rowsPerResponse = (int)Math.Clamp(lowest / 50, 16, 1_024);
        BigQueryStorageEmulator emulator = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions { MaxRowsPerResponse = rowsPerResponse }, cancellationToken).ConfigureAwait(false);
        var run = new TargetRun(null!, recorder);
        run._owned.Add(emulator);
        emulator.AddTable("local", "loadtest", "rows", rows);
        GrpcChannel channel = emulator.CreateChannel();
        run._channels.Add(channel);
        BigQueryStorageSource source = await BigQueryStorageSource.OpenAsync(
            channel.CreateCallInvoker(),
            new BigQuerySourceOptions
            {
                Table = "projects/local/datasets/loadtest/tables/rows",
                SelectedFields = [.. featureSet.EntityKey.Append(featureSet.EventTime).Concat(featureSet.Features.Select(f => f.SourceColumn))],
            },
            cancellationToken).ConfigureAwait(false);
        run.Source = new PacedSource(source, recorder, source.Schema.IndexOf(SyntheticSource.EntityColumn));
        return run;
    }

    private static async Task<TargetRun> OpenPubSubAsync(LoadProfile profile, SyntheticSource rows, FeatureSetOptions featureSet, LoadRecorder recorder, PipelineMetrics metrics, CancellationToken cancellationToken)
    {
        Emulator emulator = await Emulator.StartAsync(EmulatorKind.PubSub, cancellationToken: cancellationToken).ConfigureAwait(false);
        var run = new TargetRun(null!, recorder);
        run._owned.Add(emulator);
        GrpcChannel channel = emulator.CreateChannel();
        run._channels.Add(channel);
        try
        {
            (RowPublisher publisher, string subscription) = await PubSubLoad.CreateAsync(channel, profile.Name, rows, recorder, cancellationToken).ConfigureAwait(false);
            run._publisher = publisher;
            PubSubSource source = PubSubSource.Create(channel.CreateCallInvoker(), new PubSubSourceOptions { Subscription = subscription }, featureSet, metrics);
            run._pubSub = source;
            run._owned.Add(source);
            run.Source = new ObservedSource(source, recorder, rows);
            run.Completion = new CompositeCompletion(recorder, source);
            run.DeadLetters = source.DeadLetters;
            return run;
        }
        catch
        {
            await run.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
