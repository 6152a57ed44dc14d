namespace StreamingFeatures.Checkpoints;

/// <summary>
/// A shard plan in a file, shared only when every shard mounts the same volume. The claim is a file beside it,
/// created by a hard link that fails when it exists (exclusive create, with its content already in place); the plan
/// is written to a temporary file and renamed, so a reader sees none or all of it.
/// </summary>
public sealed class FileShardPlanStore : IShardPlanStore
{
    private readonly string _path;

    public FileShardPlanStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
    }

    public string Description => _path;

    private string ClaimPath => _path + ".claim";

    public async Task<string> ClaimAsync(string claimant, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimant);
        string temporary = $"{ClaimPath}.{Environment.ProcessId}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            await File.WriteAllTextAsync(temporary, claimant, cancellationToken).ConfigureAwait(false);
            try
            {
                File.Move(temporary, ClaimPath, overwrite: false);
                return claimant;
            }
            catch (IOException) when (File.Exists(ClaimPath))
            {
                File.Delete(temporary);
                return (await File.ReadAllTextAsync(ClaimPath, cancellationToken).ConfigureAwait(false)).Trim();
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

    public async Task SaveAsync(ShardPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        string temporary = _path + ".tmp";
        try
        {
            var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(plan.ToJson()), cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot write the shard plan {_path}: {e.Message}", e);
        }
    }
}
