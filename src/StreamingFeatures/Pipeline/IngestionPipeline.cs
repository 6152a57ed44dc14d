using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Telemetry;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Pipeline;

/// <summary>
/// The graph every job runs: source → map and key (parallel) → mini-batch → Bigtable writer → settle (dead letters,
/// accounting, completion) → read-back (when verifying; then completion waits for it).
/// Each link is bounded, so the slowest stage sets the pace back to the source and memory depends on the bounds,
/// not on the data. A stop request drains in-flight rows within <see cref="PipelineOptions.DrainTimeout"/>; the
/// first fatal fault stops everything and is rethrown with its context.
/// </summary>
public sealed class IngestionPipeline
{
    private readonly FeatureSetOptions _featureSet;
    private readonly IRowSource _source;
    private readonly BigtableTarget _target;
    private readonly IDeadLetterSink _deadLetters;
    private readonly PipelineOptions _options;
    private readonly PipelineMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly RowMapper _mapper;
    private readonly ProgressTracker? _progress;
    private readonly IRowCompletion? _completion;
    private BatchSettler? _settler;
    private BigtableWriter? _writer;
    private int _started;

    /// <exception cref="FeatureSetException">The feature set is invalid.</exception>
    /// <exception cref="SchemaMismatchException">The source cannot feed the feature set.</exception>
    /// <exception cref="ArgumentException">Invalid options, every problem named.</exception>
    public IngestionPipeline(
        FeatureSetOptions featureSet,
        IRowSource source, // Several sources in: one CompositeRowSource.
        BigtableTarget target,
        IDeadLetterSink deadLetters,
        PipelineOptions? options = null,
        PipelineMetrics? metrics = null,
        TimeProvider? time = null,
        ProgressTracker? progress = null,
        IRowCompletion? completion = null) // Told as rows become done, e.g. by a Pub/Sub source that acks them.
    {
        ArgumentNullException.ThrowIfNull(featureSet);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(deadLetters);
        _options = (options ?? new PipelineOptions()).Snapshot();
        _options.Validate();
        FeatureSetValidator.ThrowIfInvalid(featureSet);
        _featureSet = featureSet;
        _source = source;
        _target = target;
        _deadLetters = deadLetters;
        _metrics = metrics ?? new PipelineMetrics();
        _time = time ?? TimeProvider.System;
        _progress = progress;
        _completion = CompositeCompletion.Of(progress, completion);
        if (progress is not null)
        {
            progress.FirstOffset = source.FirstOffset;
        }

        // The source must fit before anything is written.
        _mapper = RowMapper.Create(featureSet, source.Schema, _options.Batching.MaxBytes, _options.EventTimeReference, _time);
    }

    /// <summary>The row keys this pipeline writes, for lookups.</summary>
    public RowKeyFormat Keys => _mapper.Keys;

    /// <summary>
    /// Rows done so far, for progress bars: with a progress tracker, written and verified (when verification reads them
    /// back) or dead-lettered, including those an earlier run committed; without one, written or dead-lettered.
    /// </summary>
    public long RowsDone => _progress?.RowsDone ?? _settler?.RowsDone ?? 0;

    /// <summary>This run's integrity report so far (complete once <see cref="RunAsync"/> has returned).</summary>
    public IntegrityReport Report() => _settler?.Report() ?? new IntegrityReport { Mode = _options.Verification.Mode };

    /// <summary>
    /// Which source rows are done, per partition, when the job keeps checkpoints (then every source row must reach
    /// the graph once: a row sent twice is a fault); null otherwise.
    /// </summary>
    public ProgressTracker? Progress => _progress;

    /// <summary>The writer's current request rate limit from RateLimitInfo; null while unlimited.</summary>
    public double? RequestsPerSecondLimit => _writer?.RateLimiter.RequestsPerSecond;

    /// <summary>
    /// Runs until the source is exhausted and every row is accounted for, or until <paramref name="stop"/> asks to
    /// stop: then the source stops, in-flight rows drain, and the result says <see cref="PipelineResult.Stopped"/>.
    /// </summary>
    /// <exception cref="PipelineException">A fatal fault, or the drain passed its deadline.</exception>
    public async Task<PipelineResult> RunAsync(CancellationToken stop = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A pipeline runs once.");
        }

        long started = _time.GetTimestamp();
        using var sourceStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time); // CancelAfter below runs on _time.
        var graph = new Graph(this, abort.Token);
        Exception? fault = null;
        void Fail(Exception e)
        {
            Interlocked.CompareExchange(ref fault, e, null);
            sourceStop.Cancel();
            abort.Cancel();
        }

        graph.OnFault(Fail);
        _ = RunSourceAsync(_source, graph.Input, sourceStop.Token, Fail).ContinueWith(_ => graph.Input.Complete(), TaskScheduler.Default);

        using (stop.Register(() => abort.CancelAfter(_options.DrainTimeout)))
        {
            try
            {
                await graph.Completion.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // A recorded fault is the cause; the cancellations it set off are only its echo.
                if (Volatile.Read(ref fault) is null && stop.IsCancellationRequested && abort.IsCancellationRequested)
                {
                    throw new PipelineException(
                        $"Stopping: rows still in flight to {_target.TableName} did not land within the drain deadline of {_options.DrainTimeout}; {_writer!.BytesInFlight} bytes were outstanding.", e);
                }

                Interlocked.CompareExchange(ref fault, e is AggregateException all ? FirstCause(all) : e, null);
            }
        }

        if (fault is not null)
        {
            throw fault as PipelineException ?? new PipelineException($"The pipeline writing to {_target.TableName} stopped: {fault.Message}", fault);
        }

        return new PipelineResult(_settler!.Report(), stop.IsCancellationRequested, _time.GetElapsedTime(started));
    }

    /// <summary>
    /// A block whose parallel workers failed at once holds one error per worker (and a linked block wraps its source's
    /// in another layer): the first is the cause, the rest its echo.
    /// </summary>
    private static Exception FirstCause(AggregateException e) => e.Flatten().InnerExceptions[0];

    private static async Task RunSourceAsync(IRowSource source, ITargetBlock<SourceChunk> input, CancellationToken cancellationToken, Action<Exception> fail)
    {
        try
        {
            await source.RunAsync(input, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A stop was asked for: the source ends, the rest drains.
        }
#pragma warning disable CA1031 // Any source failure is fatal for the graph and reported with the source's name.
        catch (Exception e)
#pragma warning restore CA1031
        {
            fail(new PipelineException($"Source {source.Description} failed: {e.Message}", e));
        }
    }

    /// <summary>The blocks and their links, built once per run.</summary>
    private sealed class Graph
    {
        private readonly TransformBlock<SourceChunk, MappedChunk> _map;
        private readonly MiniBatcher _batcher;
        private readonly TransformBlock<MutationBatch, WriteOutcome> _write;
        private readonly TransformManyBlock<WriteOutcome, ReadBackJob> _settle;
        private readonly ActionBlock<ReadBackJob> _readBack;

        public Graph(IngestionPipeline pipeline, CancellationToken abort)
        {
            PipelineOptions options = pipeline._options;
            PipelineMetrics metrics = pipeline._metrics;
            BigtableTarget target = pipeline._target;
            pipeline._writer = new BigtableWriter(target, options.Writer, pipeline._time, metrics);
            pipeline._settler = new BatchSettler(options.Verification, pipeline._mapper, pipeline._deadLetters, metrics, target, pipeline._completion, pipeline._time);
            RowMapper mapper = pipeline._mapper;
            BigtableWriter writer = pipeline._writer;
            BatchSettler settler = pipeline._settler;

            _map = new TransformBlock<SourceChunk, MappedChunk>(
                chunk =>
                {
                    metrics.RowsRead.Add(chunk.RowCount);
                    return mapper.Map(chunk);
                },
                new ExecutionDataflowBlockOptions
                {
                    MaxDegreeOfParallelism = options.MapParallelism,
                    BoundedCapacity = options.EffectiveChunkQueue,
                    EnsureOrdered = false,
                    CancellationToken = abort,
                });
            _batcher = new MiniBatcher(options.Batching, pipeline._time, options.BatcherQueue, options.BatchQueue);
            _write = new TransformBlock<MutationBatch, WriteOutcome>(
                async batch =>
                {
                    metrics.BatchRows.Record(batch.Rows.RowCount);
                    metrics.BatchBytes.Record(batch.Rows.ByteCount);
                    metrics.BytesWritten.Add(batch.Rows.ByteCount);
                    try
                    {
                        return await writer.WriteAsync(batch, abort).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        throw new PipelineException(Describe(pipeline._target.TableName, batch, e), e);
                    }
                },
                new ExecutionDataflowBlockOptions
                {
                    MaxDegreeOfParallelism = options.Writer.MaxRequestsInFlight,
                    BoundedCapacity = options.Writer.MaxRequestsInFlight,
                    EnsureOrdered = false,
                    CancellationToken = abort,
                });
            _settle = new TransformManyBlock<WriteOutcome, ReadBackJob>(
                outcome => settler.SettleAsync(outcome, abort),
                new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 1, BoundedCapacity = options.SettleQueue, CancellationToken = abort });
            _readBack = new ActionBlock<ReadBackJob>(
                job => settler.VerifyAsync(job, abort),
                new ExecutionDataflowBlockOptions
                {
                    MaxDegreeOfParallelism = options.Verification.ReadParallelism,
                    BoundedCapacity = options.Verification.ReadParallelism,
                    CancellationToken = abort,
                });

            settler.Backlog = () => _settle.InputCount;
            var link = new DataflowLinkOptions { PropagateCompletion = true };
            _map.LinkTo(_batcher.Block, link);
            _batcher.Block.LinkTo(_write, link);
            _write.LinkTo(_settle, link);
            _settle.LinkTo(_readBack, link);

            metrics.ObserveQueue("map", () => _map.InputCount + _map.OutputCount);
            metrics.ObserveQueue("batch", () => _batcher.InputCount + _batcher.OutputCount);
            metrics.ObserveQueue("write", () => _write.InputCount + _write.OutputCount);
            metrics.ObserveQueue("verify", () => _settle.InputCount);
            metrics.ObserveQueue("readback", () => _readBack.InputCount);
        }

        public ITargetBlock<SourceChunk> Input => _map;

        public Task Completion => _readBack.Completion;

        public void OnFault(Action<Exception> fail)
        {
            foreach (IDataflowBlock block in new IDataflowBlock[] { _map, _batcher.Block, _write, _settle, _readBack })
            {
                block.Completion.ContinueWith(
                    t => fail(FirstCause(t.Exception!)),
                    CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted,
                    TaskScheduler.Default);
            }
        }

        private static string Describe(string table, MutationBatch batch, Exception e)
        {
            string first = batch.Rows.RowCount > 0 ? RowKeyFormat.Display(batch.Rows.Key(0)) : "-";
            string last = batch.Rows.RowCount > 0 ? RowKeyFormat.Display(batch.Rows.Key(batch.Rows.RowCount - 1)) : "-";
            return $"Writing batch {batch.Id} ({batch.Rows.RowCount} rows, keys '{first}' … '{last}') to {table} failed: {e.Message}";
        }
    }
}
