using System.Globalization;
using System.Text;

namespace StreamingFeatures.Checkpoints;

/// <summary>
/// The split log as files beside the plan: entry <c>n</c> in <c>PLAN.split-n</c> (how an index is won: see
/// <c>FileShardPlanStore.SplitIndex.cs</c>); a shard's request for work in <c>PLAN.want-k</c>, replaced whole.
/// </summary>
internal sealed partial class FileShardPlanStore
{
    private const string SplitSuffix = ".split-";
    private const string WantSuffix = ".want-";

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
                else if (suffix.StartsWith(VoidSuffix, StringComparison.Ordinal) && Number(suffix[VoidSuffix.Length..]) is { } voided)
                {
                    next = Math.Max(next, voided + 1);
                }
                else if (suffix.StartsWith(WantSuffix, StringComparison.Ordinal) && Number(suffix[WantSuffix.Length..]) is { } shard
                    && StreamSplit.Want.Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)) is { } want)
                {
                    wants[shard] = want;
                }
            }

            next = await SettleClaimsAsync(folder, prefix, entries, next, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot read the split log beside {_path}: {e.Message}", e);
        }

        return new StreamSplitLog(entries, wants, next);
    }

    public async Task WantWorkAsync(int shard, StreamSplit.Want want, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentNullException.ThrowIfNull(want);
        string path = _path + WantSuffix + shard.ToString(CultureInfo.InvariantCulture);
        await WriteAsync(path, want.ToText(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces <paramref name="path"/> whole: written beside it, then renamed over it.</summary>
    private async Task WriteAsync(string path, string text, CancellationToken cancellationToken)
    {
        string temporary = $"{_path}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            await WriteNewAsync(temporary, text, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CheckpointException($"Cannot write {path}: {e.Message}", e);
        }
    }

    /// <summary>Creates <paramref name="path"/> exclusively (O_EXCL) with <paramref name="text"/>, on disk before it returns.</summary>
    private static async Task WriteNewAsync(string path, string text, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
    }

    private static int? Number(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number) ? number : null;
}
