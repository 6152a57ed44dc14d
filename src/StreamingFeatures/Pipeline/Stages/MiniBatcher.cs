using System.Threading.Tasks.Dataflow;
using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Pipeline.Stages;

/// <summary>
/// Gathers mapped rows into MutateRows-sized batches, flushing on rows, bytes, mutations (Bigtable allows 100,000
/// per request) or when a partial batch has lingered. Bounded on both sides: a full writer stops it from taking
/// more chunks, which stops the mappers, which stops the sources.
/// </summary>
internal sealed class MiniBatcher
{
    private readonly BatchingOptions _options;
    private readonly TimeProvider _time;
    private readonly ActionBlock<MappedChunk> _input;
    private readonly BufferBlock<MutationBatch> _output;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ITimer _linger;
    private RowBuffer _rows;
    private List<DeadLetter> _deadLetters = [];
    private long _sourceRows;
    private long _nextId;
    private bool _lingering;
    private long _lingerDue;

    public MiniBatcher(BatchingOptions options, TimeProvider time, int inputCapacity, int outputCapacity)
    {
        _options = options;
        _time = time;
        _rows = NewBuffer();
        _input = new ActionBlock<MappedChunk>(AddAsync, new ExecutionDataflowBlockOptions { BoundedCapacity = inputCapacity, MaxDegreeOfParallelism = 1 });
        _output = new BufferBlock<MutationBatch>(new DataflowBlockOptions { BoundedCapacity = outputCapacity });
        _linger = time.CreateTimer(_ => _ = FlushAfterLingerAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _input.Completion.ContinueWith(CompleteAsync, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        Block = DataflowBlock.Encapsulate(_input, _output);
    }

    public IPropagatorBlock<MappedChunk, MutationBatch> Block { get; }

    public int InputCount => _input.InputCount;

    public int OutputCount => _output.Count;

    private RowBuffer NewBuffer() => new(Math.Min(_options.MaxBytes, 1 << 20), Math.Min(_options.MaxRows, 4096));

    private async Task AddAsync(MappedChunk chunk)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            RowBuffer rows = chunk.Rows;
            for (int i = 0; i < rows.RowCount; i++)
            {
                ref readonly MappedRow row = ref rows[i];
                if (_rows.RowCount > 0
                    && (_rows.RowCount + 1 > _options.MaxRows
                        || _rows.ByteCount + row.Length > _options.MaxBytes
                        || _rows.MutationCount + row.Mutations > _options.MaxMutations))
                {
                    await FlushAsync().ConfigureAwait(false);
                }

                _rows.Append(rows, i);
                _sourceRows++;
            }

            _deadLetters.AddRange(chunk.DeadLetters);
            _sourceRows += chunk.DeadLetters.Count;
            if (_rows.RowCount >= _options.MaxRows || _options.Linger == TimeSpan.Zero)
            {
                await FlushAsync().ConfigureAwait(false);
            }
            else if (!_lingering && (_rows.RowCount > 0 || _deadLetters.Count > 0))
            {
                _lingering = true;
                _lingerDue = _time.GetTimestamp() + (long)(_options.Linger.TotalSeconds * _time.TimestampFrequency);
                _linger.Change(_options.Linger, Timeout.InfiniteTimeSpan);
            }
        }
        finally
        {
            chunk.Dispose();
            _gate.Release();
        }
    }

    private async Task FlushAfterLingerAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            // A timer that fired for an earlier batch must not cut the current one short: re-arm for the rest.
            long now = _time.GetTimestamp();
            if (_lingering && now >= _lingerDue)
            {
                await FlushAsync().ConfigureAwait(false);
            }
            else if (_lingering)
            {
                _linger.Change(TimeSpan.FromSeconds((double)(_lingerDue - now) / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
            }
        }
#pragma warning disable CA1031 // A timer callback has no caller: the fault goes to the graph instead.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ((IDataflowBlock)_output).Fault(e);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Hands the current batch on; waits while the writer's queue is full. Caller holds the gate.</summary>
    private async Task FlushAsync()
    {
        _lingering = false;
        _linger.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (_rows.RowCount == 0 && _deadLetters.Count == 0)
        {
            return;
        }

        var batch = new MutationBatch(++_nextId, _rows, _deadLetters, _sourceRows);
        _rows = NewBuffer();
        _deadLetters = [];
        _sourceRows = 0;
        if (!await _output.SendAsync(batch).ConfigureAwait(false))
        {
            batch.Dispose();
            throw new InvalidOperationException("The writer stopped taking batches.");
        }
    }

    private async Task CompleteAsync(Task input)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await _linger.DisposeAsync().ConfigureAwait(false);
            if (input.IsFaulted)
            {
                ((IDataflowBlock)_output).Fault(input.Exception!.GetBaseException());
                return;
            }

            await FlushAsync().ConfigureAwait(false);
            _output.Complete();
        }
#pragma warning disable CA1031 // Completion has no caller: the fault goes to the graph instead.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ((IDataflowBlock)_output).Fault(e);
        }
        finally
        {
            _rows.Dispose();
            _gate.Release();
        }
    }
}
