namespace StreamingFeatures.Checkpoints;

/// <summary>
/// A shard plan in a file, shared only when every shard mounts the same volume. The claim is a file beside it,
/// created exclusively (O_EXCL), so one process wins; the plan is written to a temporary file and renamed, so a
/// reader sees none or all of it, and never over a plan already there. Later changes are made under an exclusive lock
/// of a third file (flock, released when its holder dies).
/// </summary>
internal sealed partial class FileShardPlanStore : IShardPlanStore
{
    private readonly string _path;
    private readonly TimeProvider _time;

    public FileShardPlanStore(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        _time = time ?? TimeProvider.System;
    }

    public string Description => _path;

    private string ClaimPath => _path + ".claim";

    public async Task<string> ClaimAsync(string claimant, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimant);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            try
            {
                // O_EXCL: of processes creating it together, exactly one succeeds (File.Move checks, then renames).
                var claim = new FileStream(ClaimPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 4096, FileOptions.Asynchronous);
                await using (claim.ConfigureAwait(false))
                {
                    await claim.WriteAsync(System.Text.Encoding.UTF8.GetBytes(claimant), cancellationToken).ConfigureAwait(false);
                    claim.Flush(flushToDisk: true);
                }

                return claimant;
            }
            catch (IOException) when (File.Exists(ClaimPath))
            {
                // Read while its winner still writes it, it is empty: someone else holds it all the same.
                string holder = (await File.ReadAllTextAsync(ClaimPath, cancellationToken).ConfigureAwait(false)).Trim();
                return holder.Length > 0 ? holder : "another shard";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot claim the shard plan {_path}: {e.Message}", e);
        }
    }

    public async Task<ShardPlan?> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return ShardPlan.FromJson(await File.ReadAllTextAsync(_path, cancellationToken).ConfigureAwait(false), _path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot read the shard plan {_path}: {e.Message}", e);
        }
    }

    public async Task<ShardPlan> SaveAsync(ShardPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (await LoadAsync(cancellationToken).ConfigureAwait(false) is { } recorded)
        {
            return recorded;
        }

        string temporary = $"{_path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(plan.ToJson()), cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, _path, overwrite: false);
            return plan;
        }
        catch (IOException) when (File.Exists(_path))
        {
            File.Delete(temporary);
            return await LoadAsync(cancellationToken).ConfigureAwait(false) ?? plan;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot write the shard plan {_path}: {e.Message}", e);
        }
    }
}
