using System.Text;
using Google.Cloud.Bigtable.V2;
using StreamingFeatures.Keys;

namespace StreamingFeatures.IntegrationTests.PubSub;

/// <summary>
/// Events with known values, one per entity (<c>u-i</c> with clicks i, score i/2, name n-i, event time
/// <see cref="BaseMicros"/> + i ms), and the check that the table holds exactly them.
/// </summary>
internal static class KnownEvents
{
    public static readonly long BaseMicros = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000;

    public static string Payload(int i) => IngestWorkspace.Event(i, BaseMicros + (i * 1_000L), i);

    public static List<string> Payloads(int count) => [.. Enumerable.Range(0, count).Select(Payload)];

    /// <summary>
    /// Reads the whole table back and fails naming the first few wrong keys unless it holds exactly one row per
    /// event, every feature with its value and the event's time.
    /// </summary>
    public static async Task AssertAllLandedAsync(IngestWorkspace workspace, int count, CancellationToken cancellationToken)
    {
        Dictionary<string, Row> rows = await workspace.ReadTableAsync(cancellationToken);
        RowKeyFormat keys = workspace.Keys;
        var wrong = new StringBuilder();
        int problems = 0;
        for (int i = 0; i < count; i++)
        {
            string key = RowKeyFormat.Display(keys.ForEntity([$"u-{i}"]));
            string? problem = !rows.TryGetValue(key, out Row? row) ? "missing" : Check(row, i);
            if (problem is not null && ++problems <= 10)
            {
                wrong.Append(key).Append(": ").AppendLine(problem);
            }
        }

        Assert.AreEqual(0, problems, $"{problems} of {count} events did not land as published:{Environment.NewLine}{wrong}");
        Assert.HasCount(count, rows, "no row beyond the events");
    }

    private static string? Check(Row row, int i)
    {
        long micros = BaseMicros + (i * 1_000L);
        foreach (string feature in new[] { "clicks", "score", "name" })
        {
            Cell cell = IngestWorkspace.Newest(row, feature);
            if (cell.TimestampMicros != micros)
            {
                return $"{feature} at {cell.TimestampMicros}, expected {micros}";
            }
        }

        long clicks = CellEncoding.ReadInt64(IngestWorkspace.Newest(row, "clicks").Value.Span);
        double score = CellEncoding.ReadFloat64(IngestWorkspace.Newest(row, "score").Value.Span);
        string name = IngestWorkspace.Newest(row, "name").Value.ToStringUtf8();
        return clicks == i && score == i / 2.0 && name == $"n-{i}" ? null : $"clicks {clicks}, score {score}, name {name}";
    }
}
