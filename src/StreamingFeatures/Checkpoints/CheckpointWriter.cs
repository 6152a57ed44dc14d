namespace StreamingFeatures.Checkpoints;

/// <summary>
/// Saves a job's checkpoint every <c>interval</c> while its progress moves, and once more when asked (at the end).
/// A failed periodic save is reported and retried at the next tick: the job goes on, and at worst a crash redoes
/// more rows (writes are idempotent). Saves never overlap.
/// </summary>
public sealed class CheckpointWriter : IAsyncDisposable
{
    private readonly ICheckpointStore _store;
    private readonly ProgressTracker _progress;
    private readonly Func<long, MigrationCheckpoint> _build;
    private readonly Action<Exception> _onError;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _sequence;
    private long _savedVersion = -1;

    /// <param name="store">Where checkpoints go.</param>
    /// <param name="progress">The job's progress; a tick with no change saves nothing.</param>
    /// <param name="build">Makes the checkpoint to save, given its sequence number.</param>
    /// <param name="lastSequence">The sequence of the checkpoint this job resumed from (0 for a new job).</param>
    /// <param name="interval">Time between periodic saves.</param>
    /// <param name="time">The clock.</param>
    /// <param name="onError">Told about a periodic save that failed.</param>
    public CheckpointWriter(ICheckpointStore store, ProgressTracker progress, Func<long, MigrationCheckpoint> build, long lastSequence, TimeSpan interval, TimeProvider time, Action<Exception> onError)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(onError);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _store = store;
        _progress = progress;
        _build = build;
        _onError = onError;
        _sequence = lastSequence;
        _loop = RunAsync(interval, time);
    }

    /// <summary>Checkpoints saved by this writer.</summary>
    public long Saves { get; private set; }

    /// <summary>Saves now, whether or not progress moved, and returns what it saved.</summary>
    /// <exception cref="CheckpointException">The store refused it.</exception>
    public async Task<MigrationCheckpoint> SaveAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long version = _progress.Version;
            MigrationCheckpoint checkpoint = _build(++_sequence);
            await _store.SaveAsync(checkpoint, cancellationToken).ConfigureAwait(false);
            _savedVersion = version;
            Saves++;
            return checkpoint;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the periodic saves (a save under way finishes); <see cref="SaveAsync"/> still works.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        _gate.Dispose();
    }

    private async Task RunAsync(TimeSpan interval, TimeProvider time)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, _stop.Token).ConfigureAwait(false);
                if (_progress.Version != Volatile.Read(ref _savedVersion))
                {
                    // Not the stop token: a save under way finishes, so no half-written temporary file is left.
                    await SaveAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (CheckpointException e)
            {
                _onError(e);
            }
        }
    }
}
