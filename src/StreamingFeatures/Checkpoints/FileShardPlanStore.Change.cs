namespace StreamingFeatures.Checkpoints;

/// <summary>Changing the recorded plan under a lock, and the holder's failure as a file beside it.</summary>
internal sealed partial class FileShardPlanStore
{
    private static readonly TimeSpan s_lockPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_lockWait = TimeSpan.FromSeconds(30);

    private string LockPath => _path + ".lock";

    private string FailedPath => _path + ".failed";

    public async Task<ShardPlan> ReplaceAsync(ShardPlan current, ShardPlan next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        FileStream held = await LockAsync(cancellationToken).ConfigureAwait(false);
        await using (held.ConfigureAwait(false))
        {
            ShardPlan recorded = await LoadAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new CheckpointException($"The shard plan {_path} is gone: it cannot be changed.");
            if (recorded.Version != current.Version)
            {
                return recorded;
            }

            await WriteAsync(_path, next.ToJson(), "write the shard plan", cancellationToken).ConfigureAwait(false);
            return next;
        }
    }

    public Task FailAsync(ShardPlanFailure failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return WriteAsync(FailedPath, failure.ToJson(), "record the failure beside the shard plan", cancellationToken);
    }

    public async Task<ShardPlanFailure?> LoadFailureAsync(CancellationToken cancellationToken)
    {
        try
        {
            return ShardPlanFailure.FromJson(await File.ReadAllTextAsync(FailedPath, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot read {FailedPath}: {e.Message}", e);
        }
    }

    public Task ClearFailureAsync(CancellationToken cancellationToken)
    {
        try
        {
            File.Delete(FailedPath);
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot delete {FailedPath}: {e.Message}", e);
        }
    }

    /// <summary>Replaces <paramref name="path"/> whole: written beside it, then renamed over it.</summary>
    private static async Task WriteAsync(string path, string text, string doing, CancellationToken cancellationToken)
    {
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CheckpointException($"Cannot {doing} {path}: {e.Message}", e);
        }
    }

    /// <summary>The lock file opened exclusively (.NET takes flock on Unix, released if this process dies).</summary>
    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        TimeProvider time = TimeProvider.System;
        long started = time.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (time.GetElapsedTime(started) < s_lockWait)
            {
                await Task.Delay(s_lockPoll, time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CheckpointException($"Cannot lock the shard plan {LockPath} (held for {s_lockWait.TotalSeconds:0} s by another shard?): {e.Message}", e);
            }
        }
    }
}
