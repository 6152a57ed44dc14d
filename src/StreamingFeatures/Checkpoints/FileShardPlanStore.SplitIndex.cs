using System.Collections.Concurrent;
using System.Globalization;

namespace StreamingFeatures.Checkpoints;

/// <summary>
/// Winning an index of the split log on a shared folder. A writer creates <c>PLAN.claimN</c> exclusively (O_EXCL)
/// holding its whole entry, then renames it to <c>PLAN.split-N</c>. A writer killed in between leaves a claim that
/// would block index N for ever, so a reader that has seen it unchanged for a while declares it dead by renaming it
/// to <c>PLAN.void-N</c>. Of two renames of one file exactly one succeeds: the entry exists or the index is void,
/// never both, however late the writer wakes (a writer stalled past the wait loses its entry, and knows it).
/// </summary>
internal sealed partial class FileShardPlanStore
{
    private const string IndexClaimSuffix = ".claim";
    private const string VoidSuffix = ".void-";

    // A live writer renames its claim within milliseconds; only then may waiting shards give up on the index.
    private static readonly TimeSpan s_deadClaim = TimeSpan.FromSeconds(10);

    // When this store first saw each claim without an entry: its own clock, not the file's (a shared volume's server stamps those).
    private readonly ConcurrentDictionary<int, long> _claimSeen = new();

    public async Task<bool> TryAddSplitAsync(int index, StreamSplit entry, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentNullException.ThrowIfNull(entry);
        string claim = IndexPath(IndexClaimSuffix, index);
        string split = IndexPath(SplitSuffix, index);
        string voided = IndexPath(VoidSuffix, index);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            try
            {
                await WriteNewAsync(claim, entry.ToJson(), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException) when (File.Exists(claim) || File.Exists(split) || File.Exists(voided))
            {
                // Another writer's claim, or what it became by one rename since: the index is taken.
                return false;
            }

            // A claim can be created again once the first is renamed: then the index is taken, as entry or void.
            if (File.Exists(split) || File.Exists(voided))
            {
                File.Delete(claim);
                return false;
            }

            try
            {
                File.Move(claim, split, overwrite: true);
                return true;
            }
            catch (IOException) when (!File.Exists(split))
            {
                // A reader declared the claim dead first (renamed it away): the index is void, this entry never counts.
                return false;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot write {split}: {e.Message}", e);
        }
    }

    /// <summary>Voids every claim seen without an entry for <see cref="s_deadClaim"/>; returns the log's next index past them.</summary>
    private async Task<int> SettleClaimsAsync(string folder, string prefix, Dictionary<int, StreamSplit> entries, int next, CancellationToken cancellationToken)
    {
        foreach (string file in Directory.EnumerateFiles(folder, prefix + IndexClaimSuffix + "*"))
        {
            if (Number(Path.GetFileName(file)[(prefix.Length + IndexClaimSuffix.Length)..]) is not { } index || entries.ContainsKey(index))
            {
                continue;
            }

            long seen = _claimSeen.GetOrAdd(index, _ => _time.GetTimestamp());
            if (_time.GetElapsedTime(seen) < s_deadClaim)
            {
                continue;
            }

            try
            {
                File.Move(file, IndexPath(VoidSuffix, index), overwrite: true);
            }
            catch (FileNotFoundException)
            {
                // Renamed meanwhile: by its writer (an entry) or by another reader (void).
            }

            string split = IndexPath(SplitSuffix, index);
            if (File.Exists(split))
            {
                entries[index] = StreamSplit.FromJson(await File.ReadAllTextAsync(split, cancellationToken).ConfigureAwait(false), split);
            }
            else
            {
                next = Math.Max(next, index + 1);
            }
        }

        return next;
    }

    private string IndexPath(string suffix, int index) => _path + suffix + index.ToString("D6", CultureInfo.InvariantCulture);
}
