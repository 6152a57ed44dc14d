namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// Rows a read session's ReadRows calls sent, by stream number: a range read twice (a client resuming behind what it
/// was sent) counts twice, so the total against the table's rows shows what a job read again.
/// </summary>
public sealed record SessionRowsServed(string Session, string Table, IReadOnlyDictionary<int, long> ByStream)
{
    public long Total => ByStream.Values.Sum();
}
