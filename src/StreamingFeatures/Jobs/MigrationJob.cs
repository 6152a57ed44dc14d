using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Resilience;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Jobs;

/// <summary>
/// One run of a migration: load its checkpoint (never another job's), connect, open the source where the last run
/// stopped, provision the table, run the graph while saving progress, and return the figures of every row of the
/// migration (all runs). The host calls <see cref="OpenCheckpointAsync"/>, <see cref="ConnectAsync"/>,
/// <see cref="PrepareAsync"/>, <see cref="ProvisionAsync"/> and <see cref="RunAsync"/> in that order, and says what
/// it likes between them; hosting (emulators, console, exit codes) stays with it.
/// </summary>
public sealed partial class MigrationJob : IAsyncDisposable
{
    /// <summary>Where a job's checkpoint file goes when the options name no store.</summary>
    public const string DefaultCheckpointFolder = "streamingfeatures-checkpoints";

    private readonly MigrationJobOptions _options;
    private readonly Action<string> _warn;
    private readonly TimeProvider _time;
    private readonly OpenedSource _opened = new();
    private ICheckpointStore? _store;
    private bool _checkpointOpened;
    private BigtableConnection? _bigtable;
    private OwnedEmulator? _emulator;
    private JsonLinesDeadLetterSink? _deadLetters;
    private ProgressTracker? _progress;
    private PipelineMetrics? _metrics;
    private IngestionPipeline? _pipeline;
    private DateTimeOffset _snapshot;

    /// <param name="options">The job; read once here.</param>
    /// <param name="warn">Told what went wrong without stopping the job (a checkpoint save that failed).</param>
    /// <param name="time">The clock of checkpoint saves and the run's figures.</param>
    public MigrationJob(MigrationJobOptions options, Action<string>? warn = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _warn = warn ?? (_ => { });
        _time = time ?? TimeProvider.System;
        Identity = MigrationIdentity.Create(options);
        CheckpointSpec = options.Checkpoint ?? new CheckpointStoreSpec.File(Path.Combine(DefaultCheckpointFolder, Identity.Id + ".json"));
    }

    public MigrationIdentity Identity { get; }

    public CheckpointStoreSpec CheckpointSpec { get; }

    /// <summary>The checkpoint this run resumes from; null when it starts the migration (or over).</summary>
    public MigrationCheckpoint? Checkpoint { get; private set; }

    /// <summary>For messages: where progress is saved (a file path, a Bigtable table and row); null when nowhere.</summary>
    public string? CheckpointDescription => _store?.Description;

    /// <summary>An earlier run finished every row: <see cref="RunAsync"/> only reports its figures.</summary>
    public bool FinishedEarlier => Checkpoint is { Completed: true };

    /// <summary>Every row of the migration is written (and verified, when asked); set by <see cref="RunAsync"/>.</summary>
    public bool Finished { get; private set; }

    public long RowsDone => _pipeline?.RowsDone ?? 0;

    public long DeadLetters => _deadLetters?.Count ?? 0;

    /// <summary>
    /// Loads the checkpoint from a store that needs no connection (a file): before the host looks for an emulator,
    /// since an earlier run's emulator being gone makes a run start over, which must never overwrite another job's
    /// checkpoint. A Bigtable store is loaded by <see cref="ConnectAsync"/>. Nothing is loaded on a restart.
    /// </summary>
    /// <exception cref="CheckpointException">The checkpoint exists but cannot be read.</exception>
    /// <exception cref="CheckpointMismatchException">The checkpoint is another migration's.</exception>
    public async Task OpenCheckpointAsync(CancellationToken cancellationToken)
    {
        _checkpointOpened = true;
        _store ??= DetachedStore();
        if (_store is not null && !_options.Restart)
        {
            Checkpoint = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
            EnsureSameJob();
        }
    }

    /// <summary>
    /// The emulator named by the checkpoint in a store that outlives it (not a table on that emulator); null when
    /// there is none or it cannot be read. A host starting over stops it; a run that did not finish keeps it running.
    /// </summary>
    public async Task<OwnedEmulator?> SavedEmulatorAsync(CancellationToken cancellationToken)
    {
        _store ??= DetachedStore();
        if (CheckpointSpec is CheckpointStoreSpec.Bigtable || _store is not { } store)
        {
            return null;
        }

        try
        {
            return (await store.LoadAsync(cancellationToken).ConfigureAwait(false))?.Emulator;
        }
        catch (CheckpointException)
        {
            return null;
        }
    }

    /// <summary>The rows the checkpoint counts are gone (the emulator that held them is): the migration starts over.</summary>
    public void StartOver() => Checkpoint = null;

    /// <summary>Connects to Bigtable; a checkpoint kept in Bigtable is loaded here.</summary>
    /// <param name="bigtable">Where the job writes.</param>
    /// <param name="emulator">The emulator the host started for this job, named in every checkpoint so the next run finds it.</param>
    /// <param name="cancellationToken">Stops connecting and loading.</param>
    /// <exception cref="MigrationInputException">The options name no Bigtable.</exception>
    /// <exception cref="CheckpointMismatchException">The checkpoint is another migration's.</exception>
    public async Task ConnectAsync(BigtableConnectionOptions bigtable, OwnedEmulator? emulator, CancellationToken cancellationToken)
    {
        if (!_checkpointOpened)
        {
            await OpenCheckpointAsync(cancellationToken).ConfigureAwait(false);
        }

        _emulator = emulator;
        try
        {
            _bigtable = await BigtableConnection.ConnectAsync(bigtable, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new MigrationInputException(e.Message, e);
        }

        if (CheckpointSpec is CheckpointStoreSpec.Bigtable { TableId: var tableId })
        {
            _store = new BigtableCheckpointStore(_bigtable.Target(tableId), _bigtable.Admin, Identity.Id, Retry(CallRetryOptions.Checkpoint));
            Checkpoint = _options.Restart ? null : await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
            EnsureSameJob();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _metrics?.Dispose();
        await _opened.DisposeAsync().ConfigureAwait(false);
        if (_deadLetters is not null)
        {
            await _deadLetters.DisposeAsync().ConfigureAwait(false);
        }

        _bigtable?.Dispose();
    }

    private ICheckpointStore? DetachedStore() => CheckpointSpec switch
    {
        CheckpointStoreSpec.File { Path: var path } => new FileCheckpointStore(path),
        CheckpointStoreSpec.Custom { Store: var store } => store,
        _ => null,
    };

    private void EnsureSameJob()
    {
        IReadOnlyList<string> differences = Checkpoint?.Differences(Identity.Identity) ?? [];
        if (differences.Count > 0)
        {
            throw new CheckpointMismatchException(_store!.Description, differences);
        }
    }

    /// <summary>A call's retry preset, with the options' deadline when given.</summary>
    private CallRetryOptions Retry(CallRetryOptions preset) => _options.RetryDeadline is { } deadline ? preset.WithDeadline(deadline) : preset;

    private BigtableConnection Connected => _bigtable ?? throw new InvalidOperationException("Connect the job first (ConnectAsync).");

    private IngestionPipeline Prepared => _pipeline ?? throw new InvalidOperationException("Prepare the job first (PrepareAsync).");
}
