using System.Globalization;
using System.Text;
using Google.Cloud.Bigtable.V2;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Keys;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>One event on the stream: an entity's new values of every feature at an event time (microseconds, whole milliseconds).</summary>
internal sealed record CutoverEvent(long Entity, long EventMicros, long[] Values)
{
    public string Json()
    {
        var json = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $$"""{"{{SyntheticSource.EntityColumn}}":"{{SyntheticSource.EntityId(Entity)}}","{{SyntheticSource.EventTimeColumn}}":{{EventMicros}}""");
        for (int f = 0; f < Values.Length; f++)
        {
            json.Append(CultureInfo.InvariantCulture, $$""","{{SyntheticSource.FeatureName(f)}}":{{Values[f]}}""");
        }

        return json.Append('}').ToString();
    }
}

/// <summary>
/// What the table must hold after a cutover, computed from the generator and the published events, not from the
/// engine: per entity and feature, the value of the event-time-newest of the backfilled row and the stream's events.
/// Events are made so that no two writes to one entity share a timestamp (a tie would make the order matter).
/// </summary>
internal sealed class CutoverExpectation
{
    // Entities past the backfill's: the stream creates some rows of its own.
    private const int NewEntities = 50;

    private readonly long _rows;
    private readonly int _features;
    private readonly SyntheticSource _backfill;
    private readonly Dictionary<long, CutoverEvent> _newest = [];
    private readonly Random _random = new(15);
    private long _counter;

    public CutoverExpectation(string tableId, long rows, int features)
    {
        TableId = tableId;
        _rows = rows;
        _features = features;
        _backfill = SourceSpec.Sample(rows, features);
    }

    public string TableId { get; }

    public long Published => _counter;

    /// <summary>
    /// <paramref name="count"/> events for random entities, each <paramref name="newerShare"/> likely newer than the
    /// entity's backfilled row (else older), by a distinct number of milliseconds.
    /// </summary>
    public IReadOnlyList<CutoverEvent> Next(int count, double newerShare)
    {
        var events = new List<CutoverEvent>(count);
        for (int i = 0; i < count; i++)
        {
            long entity = _random.NextInt64(_rows + NewEntities);
            long step = ++_counter;
            long eventMicros = _backfill.EventTimeMicros(entity) + ((_random.NextDouble() < newerShare ? 1 : -1) * step * 1000);
            var next = new CutoverEvent(entity, eventMicros, [.. Enumerable.Range(0, _features).Select(f => (step * 100) + f)]);
            if (!_newest.TryGetValue(entity, out CutoverEvent? newest) || newest.EventMicros < eventMicros)
            {
                _newest[entity] = next;
            }

            events.Add(next);
        }

        return events;
    }

    /// <summary>Where the table differs from the expectation (the first 20, then a count); only <paramref name="entities"/> when given.</summary>
    public async Task<IReadOnlyList<string>> DifferencesAsync(TargetTable table, IReadOnlyCollection<long>? entities, CancellationToken cancellationToken)
    {
        var keys = new RowKeyFormat(_backfill.FeatureSet(TableId).RowKey);
        var wanted = new Dictionary<string, long>(StringComparer.Ordinal);
        IEnumerable<long> all = Enumerable.Range(0, checked((int)_rows)).Select(e => (long)e).Concat(_newest.Keys.Where(e => e >= _rows));
        foreach (long entity in entities ?? all)
        {
            wanted[RowKeyFormat.Display(keys.ForEntity([SyntheticSource.EntityId(entity)]))] = entity;
        }

        var problems = new List<string>();
        var seen = new HashSet<long>();
        await table.ScanAsync(
            row =>
            {
                if (wanted.TryGetValue(row.Key.ToStringUtf8(), out long entity))
                {
                    seen.Add(entity);
                    Compare(row, entity, problems);
                }
                else if (entities is null)
                {
                    problems.Add($"unexpected row {row.Key.ToStringUtf8()}");
                }
            },
            cancellationToken);
        problems.AddRange(wanted.Where(w => !seen.Contains(w.Value)).Select(w => $"missing row {w.Key}"));
        return problems.Count <= 20 ? problems : [.. problems.Take(20), $"... {problems.Count} differences in all"];
    }

    private void Compare(Row row, long entity, List<string> problems)
    {
        CutoverEvent? stream = _newest.GetValueOrDefault(entity);
        if (stream is not null && entity < _rows && stream.EventMicros < _backfill.EventTimeMicros(entity))
        {
            stream = null;
        }

        long timestamp = stream?.EventMicros ?? _backfill.EventTimeMicros(entity);
        for (int f = 0; f < _features; f++)
        {
            long value = stream?.Values[f] ?? _backfill.Int64Value(entity, f);
            string qualifier = SyntheticSource.FeatureName(f);
            Cell? cell = row.Families.Where(family => family.Name == SyntheticSource.Family)
                .SelectMany(family => family.Columns)
                .FirstOrDefault(column => column.Qualifier.ToStringUtf8() == qualifier)?.Cells.MaxBy(c => c.TimestampMicros);
            if (cell is null || cell.TimestampMicros != timestamp || CellEncoding.ReadInt64(cell.Value.Span) != value)
            {
                problems.Add($"row {row.Key.ToStringUtf8()} {qualifier}: newest cell {(cell is null ? "none" : $"{CellEncoding.ReadInt64(cell.Value.Span)} at {cell.TimestampMicros}")}; expected {value} at {timestamp}");
            }
        }
    }
}
