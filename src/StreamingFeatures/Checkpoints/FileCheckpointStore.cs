namespace StreamingFeatures.Checkpoints;

/// <summary>
/// A checkpoint in a local file: written to a temporary file beside it, flushed to disk, then renamed over the old
/// one, so a kill at any instant leaves either the old or the new checkpoint, never a torn one.
/// </summary>
public sealed class FileCheckpointStore : ICheckpointStore
{
    private readonly string _path;

    public FileCheckpointStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
    }

    public string Description => _path;

    public async Task<MigrationCheckpoint?> LoadAsync(CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(_path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot read the checkpoint {_path}: {e.Message}", e);
        }

        return MigrationCheckpoint.FromJson(json, _path);
    }

    public async Task SaveAsync(MigrationCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        string temporary = _path + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                byte[] bytes = System.Text.Encoding.UTF8.GetBytes(checkpoint.ToJson());
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot write the checkpoint {_path}: {e.Message}", e);
        }
    }
}
