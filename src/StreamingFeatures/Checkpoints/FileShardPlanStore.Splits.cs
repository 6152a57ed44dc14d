using System.Globalization;
using System.Text;

namespace StreamingFeatures.Checkpoints;

/// <summary>
/// The split log as files beside the plan: entry <c>n</c> in <c>PLAN.split-n</c>, written to a temporary file and
/// moved without overwriting, so of two shards writing the same index exactly one succeeds and a reader sees none or
/// all of it; a shard's request for work in <c>PLAN.want-k</c>, replaced whole.
/// </summary>
internal sealed partial class FileShardPlanStore
{
    private const string SplitSuffix = ".split-";
    private const string WantSuffix = ".want-";
    private const string IndexClaimSuffix = ".claim";

    // A writer moves its entry in microseconds after claiming the index: a claim this old without one is a writer
    // killed between the two. Measured on the machine's clock, which stamps the file.
    private static readonly TimeSpan s_deadClaim = TimeSpan.FromSeconds(10);

    public async Task<StreamSplitLog> LoadSplitsAsync(CancellationToken cancellationToken)
    {
        var entries = new Dictionary<int, StreamSplit>();
        var wants = new Dictionary<int, StreamSplit.Want>();
        int next = 0;
        try
        {
            string folder = Path.GetDirectoryName(_path)!;
            if (!Directory.Exists(folder))
            {
                return StreamSplitLog.Empty;
            }

            string prefix = Path.GetFileName(_path);
            foreach (string file in Directory.EnumerateFiles(folder, prefix + ".*-*"))
            {
                string suffix = Path.GetFileName(file)[prefix.Length..];
                if (suffix.StartsWith(SplitSuffix, StringComparison.Ordinal) && Number(suffix[SplitSuffix.Length..]) is { } index)
                {
                    entries[index] = StreamSplit.FromJson(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), file);
                }
                else if (suffix.StartsWith(WantSuffix, StringComparison.Ordinal) && Number(suffix[WantSuffix.Length..]) is { } shard
                    && StreamSplit.Want.Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)) is { } want)
                {
                    wants[shard] = want;
                }
            }

            // An index claimed by a writer that died before its entry moved in can never be written: the log goes
            // on past it, or every later split and close would retry that index for ever.
            foreach (string file in Directory.EnumerateFiles(folder, prefix + IndexClaimSuffix + "*"))
            {
                if (Number(Path.GetFileName(file)[(prefix.Length + IndexClaimSuffix.Length)..]) is { } index
                    && !entries.ContainsKey(index)
                    && TimeProvider.System.GetUtcNow().UtcDateTime - File.GetLastWriteTimeUtc(file) >= s_deadClaim)
                {
                    next = Math.Max(next, index + 1);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot read the split log beside {_path}: {e.Message}", e);
        }

        return new StreamSplitLog(entries, wants, next);
    }

    public async Task<bool> TryAddSplitAsync(int index, StreamSplit entry, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentNullException.ThrowIfNull(entry);
        string number = index.ToString("D6", CultureInfo.InvariantCulture);
        return await WriteAsync(_path + SplitSuffix + number, entry.ToJson(), overwrite: false, cancellationToken, claim: _path + IndexClaimSuffix + number).ConfigureAwait(false);
    }

    public async Task WantWorkAsync(int shard, StreamSplit.Want want, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentNullException.ThrowIfNull(want);
        string path = _path + WantSuffix + shard.ToString(CultureInfo.InvariantCulture);
        await WriteAsync(path, want.ToText(), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <returns>False when <paramref name="overwrite"/> is off and the file exists.</returns>
    private async Task<bool> WriteAsync(string path, string text, bool overwrite, CancellationToken cancellationToken, string? claim = null)
    {
        string temporary = $"{_path}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            // File.Move without overwrite checks, then renames: two writers can both pass the check. Of the writers
            // creating the claim (O_EXCL) exactly one succeeds, and only it moves its entry in. Claimed after the
            // entry is on disk, so only a writer killed between the two calls leaves the index claimed and empty
            // (LoadSplitsAsync skips it once the claim is old).
            if (claim is not null)
            {
                await new FileStream(claim, FileMode.CreateNew, FileAccess.Write, FileShare.None).DisposeAsync().ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite);
            return true;
        }
        catch (IOException) when (!overwrite && (File.Exists(path) || (claim is not null && File.Exists(claim))))
        {
            File.Delete(temporary);
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CheckpointException($"Cannot write {path}: {e.Message}", e);
        }
    }

    private static int? Number(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number) ? number : null;
}
