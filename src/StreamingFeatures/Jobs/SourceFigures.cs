using System.Globalization;
using System.Text.Json.Serialization;
using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Jobs;

/// <summary>
/// What became of one source's rows (a file, a read stream, a generator partition), all runs together:
/// <see cref="Read"/> = <see cref="Written"/> + <see cref="DeadLettered"/> + <see cref="Skipped"/>, where written and
/// dead-lettered count this run and skipped counts the rows earlier runs had done (a resumed run does not read them).
/// </summary>
public sealed record SourceFigures(string Source, long Read, long Written, long DeadLettered, long Skipped)
{
    [JsonIgnore]
    public bool AddsUp => Read == Written + DeadLettered + Skipped;

    /// <summary>Each partition's figures from its committed stats now and before this run, in partition order.</summary>
    /// <param name="now">Committed stats per partition at the end of this run (earlier runs' ranges included).</param>
    /// <param name="earlier">Committed stats per partition when this run started.</param>
    /// <param name="name">The partition's name for people (a file path, a stream).</param>
    public static IReadOnlyList<SourceFigures> Of(IReadOnlyDictionary<int, RowStats> now, IReadOnlyDictionary<int, RowStats> earlier, Func<int, string> name)
    {
        ArgumentNullException.ThrowIfNull(now);
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(name);
        return [.. now.Keys.Union(earlier.Keys).Order().Select(partition =>
        {
            RowStats after = now.GetValueOrDefault(partition);
            RowStats before = earlier.GetValueOrDefault(partition);
            return new SourceFigures(name(partition), after.Read, after.Written - before.Written, after.DeadLettered - before.DeadLettered, before.Read);
        })];
    }

    /// <summary>Throws when a source's figures do not add up: the engine lost count of rows somewhere.</summary>
    /// <exception cref="InvalidOperationException">Read is not written + dead-lettered + skipped for some source.</exception>
    public static void CheckAddUp(IEnumerable<SourceFigures> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        foreach (SourceFigures source in sources.Where(s => !s.AddsUp))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The figures of {source.Source} do not add up: {source.Read} read, but {source.Written} written + {source.DeadLettered} dead-lettered + {source.Skipped} skipped = {source.Written + source.DeadLettered + source.Skipped}."));
        }
    }
}
