using System.Collections.Concurrent;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.TestShared;

namespace StreamingFeatures.Tests.Checkpoints;

/// <summary>Periodic saves on virtual time; <see cref="ArmedClock"/> tells when the loop has handled a tick.</summary>
[TestClass]
public sealed class CheckpointWriterTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly ArmedClock _clock = new();
    private readonly RecordingStore _store = new();
    private readonly ConcurrentQueue<Exception> _errors = new();
    private readonly ProgressTracker _progress = new();

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Tick_ProgressMoved_SavesOnce()
    {
        await using CheckpointWriter writer = Writer(lastSequence: 0);
        await writer.SaveAsync(TestContext.CancellationToken);
        _progress.Complete([new SourceRange(0, 0, 10, default)]);

        await _clock.TickAsync(Interval);

        Assert.HasCount(2, _store.Saved);
        Assert.AreEqual(2L, writer.Saves);
    }

    [TestMethod]
    public async Task Tick_NoProgressSinceLastSave_SavesNothing()
    {
        await using CheckpointWriter writer = Writer(lastSequence: 0);
        _progress.Complete([new SourceRange(0, 0, 10, default)]);
        await _clock.TickAsync(Interval);
        Assert.HasCount(1, _store.Saved);

        await _clock.TickAsync(Interval);
        await _clock.TickAsync(Interval);

        Assert.HasCount(1, _store.Saved);
        Assert.IsEmpty(_errors);
    }

    [TestMethod]
    public async Task Tick_FirstTickWithoutProgress_SavesOnceToRecordTheRun()
    {
        await using CheckpointWriter writer = Writer(lastSequence: 0);

        await _clock.TickAsync(Interval);
        await _clock.TickAsync(Interval);

        Assert.HasCount(1, _store.Saved, "nothing saved yet in this run: the first tick saves, later ones wait for progress");
    }

    [TestMethod]
    public async Task Tick_BeforeInterval_SavesNothing()
    {
        await using CheckpointWriter writer = Writer(lastSequence: 0);
        _progress.Complete([new SourceRange(0, 0, 10, default)]);
        int armed = _clock.Armed;

        _clock.Fake.Advance(Interval - TimeSpan.FromMilliseconds(1));

        Assert.AreEqual(armed, _clock.Armed, "the delay has not elapsed");
        Assert.IsEmpty(_store.Saved);
        await _clock.TickAsync(TimeSpan.FromMilliseconds(1));
        Assert.HasCount(1, _store.Saved);
    }

    [TestMethod]
    public async Task Tick_StoreFails_ReportsAndRetriesAtNextTick()
    {
        await using CheckpointWriter writer = Writer(lastSequence: 0);
        _progress.Complete([new SourceRange(0, 0, 10, default)]);
        _store.FailNext = 2;

        await _clock.TickAsync(Interval);
        await _clock.TickAsync(Interval);
        await _clock.TickAsync(Interval);

        Assert.HasCount(2, _errors);
        Assert.IsTrue(_errors.All(e => e is CheckpointException));
        Assert.HasCount(1, _store.Saved, "the third tick saves: progress moved since the last successful save");
        Assert.AreEqual(1L, writer.Saves);
    }

    [TestMethod]
    public async Task SaveAsync_SequencesContinueFromLastSequence()
    {
        await using CheckpointWriter writer = Writer(lastSequence: 41);

        MigrationCheckpoint first = await writer.SaveAsync(TestContext.CancellationToken);
        _progress.Complete([new SourceRange(0, 0, 10, default)]);
        await _clock.TickAsync(Interval);
        MigrationCheckpoint last = await writer.SaveAsync(TestContext.CancellationToken);

        Assert.AreEqual(42L, first.Sequence);
        CollectionAssert.AreEqual(new long[] { 42, 43, 44 }, _store.Saved.Select(c => c.Sequence).ToArray());
        Assert.AreEqual(44L, last.Sequence);
    }

    [TestMethod]
    public async Task SaveAsync_StoreFails_ThrowsToCaller()
    {
        await using CheckpointWriter writer = Writer(lastSequence: 0);
        _store.FailNext = 1;

        await Assert.ThrowsExactlyAsync<CheckpointException>(() => writer.SaveAsync(TestContext.CancellationToken));

        Assert.IsEmpty(_errors, "onError is for periodic saves; the caller sees its own failure");
        Assert.AreEqual(0L, writer.Saves);
    }

    [TestMethod]
    public async Task StopAsync_NoMoreTicks_SaveAsyncStillWorks()
    {
        CheckpointWriter writer = Writer(lastSequence: 5);
        await writer.StopAsync();
        int armed = _clock.Armed;
        _progress.Complete([new SourceRange(0, 0, 10, default)]);

        _clock.Fake.Advance(Interval * 3);
        MigrationCheckpoint final = await writer.SaveAsync(TestContext.CancellationToken);

        Assert.AreEqual(armed, _clock.Armed, "no delay armed after stopping");
        Assert.HasCount(1, _store.Saved);
        Assert.AreEqual(6L, final.Sequence);
        await writer.DisposeAsync();
    }

    [TestMethod]
    public async Task StopAsync_DuringPeriodicSave_LetsThatSaveFinish()
    {
        await using CheckpointWriter writer = Writer(lastSequence: 0);
        _progress.Complete([new SourceRange(0, 0, 10, default)]);
        _store.Block = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        _clock.Fake.Advance(Interval);
        await _store.Started.Task.WaitAsync(Wait, TestContext.CancellationToken);
        Task stopping = writer.StopAsync();
        _store.Block.SetResult();
        await stopping.WaitAsync(Wait, TestContext.CancellationToken);

        Assert.HasCount(1, _store.Saved, "the class documents that a save under way finishes");
    }

    private CheckpointWriter Writer(long lastSequence) => new(
        _store,
        _progress,
        sequence => new MigrationCheckpoint { Sequence = sequence, Partitions = MigrationCheckpoint.Entries(_progress.Snapshot().Committed) },
        lastSequence,
        Interval,
        _clock,
        _errors.Enqueue);

    /// <summary>Records saves; can fail the next few, or hold one until released (it honours cancellation as a real store does).</summary>
    private sealed class RecordingStore : ICheckpointStore
    {
        public ConcurrentQueue<MigrationCheckpoint> Saved { get; } = new();

        public int FailNext { get; set; }

        public TaskCompletionSource? Block { get; set; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Description => "memory";

        public Task<MigrationCheckpoint?> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(Saved.LastOrDefault());

        public async Task SaveAsync(MigrationCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            if (Block is { } block)
            {
                await block.Task.ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (FailNext > 0)
            {
                FailNext--;
                throw new CheckpointException("store down");
            }

            Saved.Enqueue(checkpoint);
        }
    }
}
