using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Jobs;

/// <summary>The passes: source and table side by side, then an exact search of the ranges whose key sums differ.</summary>
public sealed partial class VerifyJob
{
    /// <summary>Compares the table with the source; the report says what differs, and where.</summary>
    /// <exception cref="Resilience.CallGaveUpException">Bigtable or BigQuery stayed unreachable past the retry deadline.</exception>
    public async Task<ComparisonReport> RunAsync(CancellationToken cancellationToken)
    {
        IRowSource source = _source ?? throw new InvalidOperationException("Prepare the job first (PrepareAsync).");
        TableComparison comparison = Comparison;

        // Two reads that do not wait on each other: the table's keys, and the source's rows read back by key.
        Task scan = ScanKeysAsync(
            rows: null,
            key =>
            {
                ulong hash = KeyRanges.KeyHash(key);
                if (Owned(hash))
                {
                    comparison.NoteTableRow(comparison.Ranges.IndexOf(key), hash);
                }
            },
            cancellationToken);
        Task read = ReadSourceAsync(source, CompareChunkAsync, cancellationToken);
        await Task.WhenAll(scan, read).ConfigureAwait(false);

        int passes = 1;
        foreach (ExactPass pass in comparison.ExactPassGroups(_options.ExactPassMaxKeys))
        {
            await FindExtrasAsync(pass, cancellationToken).ConfigureAwait(false);
            passes++;
        }

        return comparison.Report(Interlocked.Read(ref _rejected), passes);
    }

    /// <summary>
    /// Names the extra rows of <paramref name="pass"/>: the source read again, keeping the key hashes of its rows in
    /// these ranges (and the pass's slice), then the ranges' table keys of that slice checked against them. A key the source repeats is one row here, so
    /// a range whose sums differed only for that reason ends with no extras.
    /// </summary>
    private async Task FindExtrasAsync(ExactPass pass, CancellationToken cancellationToken)
    {
        TableComparison comparison = Comparison;
        var inGroup = new bool[comparison.Ranges.Count];
        foreach (int range in pass.Ranges)
        {
            inGroup[range] = true;
        }

        var sourceKeys = new HashSet<ulong>();
        (IRowSource source, _) = await OpenSourceAsync(_snapshot, DiscardingSink.Instance, cancellationToken).ConfigureAwait(false);
        await ReadSourceAsync(
            source,
            (chunk, _) =>
            {
                using MappedChunk mapped = _mapper!.Map(chunk);
                RowBuffer rows = mapped.Rows;
                for (int i = 0; i < rows.RowCount; i++)
                {
                    ReadOnlySpan<byte> key = rows.Key(i);
                    ulong hash = KeyRanges.KeyHash(key);
                    if (Owned(hash) && pass.Holds(hash) && inGroup[comparison.Ranges.IndexOf(key)])
                    {
                        lock (sourceKeys)
                        {
                            sourceKeys.Add(hash);
                        }
                    }
                }

                return Task.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);

        await ScanKeysAsync(
            RowSetOf(comparison.Ranges, pass.Ranges),
            key =>
            {
                ulong hash = KeyRanges.KeyHash(key);
                if (Owned(hash) && pass.Holds(hash) && !sourceKeys.Contains(hash))
                {
                    comparison.NoteExtra(comparison.Ranges.IndexOf(key), key);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }
}
