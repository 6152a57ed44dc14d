using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.Keys;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Pipeline.Stages;

/// <summary>Read-back: one ReadRows call per job, jobs in parallel, digests compared, results counted.</summary>
internal sealed partial class BatchSettler
{
    private static readonly KeyValuePair<string, object?> MatchedTag = new("result", "matched");
    private static readonly KeyValuePair<string, object?> MissingTag = new("result", "missing");
    private static readonly KeyValuePair<string, object?> ChangedTag = new("result", "changed");
    private static readonly KeyValuePair<string, object?> SupersededTag = new("result", "superseded");

    public async Task VerifyAsync(ReadBackJob job, CancellationToken cancellationToken)
    {
        var request = new ReadRowsRequest { TableName = _target.TableName, AppProfileId = _target.AppProfileId ?? string.Empty, Rows = new RowSet() };
        foreach (ReadBackJob.PendingRow pending in job.Keys)
        {
            request.Rows.RowKeys.Add(pending.Key);
        }

        ReadRowsDigester digester = _digesters.TryTake(out ReadRowsDigester? idle) ? idle : new ReadRowsDigester(_digester);
        try
        {
            await ReadAsync(request, job.Keys, digester, cancellationToken).ConfigureAwait(false);
            Compare(job, digester);
        }
        finally
        {
            _digesters.Add(digester);
        }

        _completion?.Complete(job.Ranges());
    }

    private void Compare(ReadBackJob job, ReadRowsDigester digester)
    {
        long matched = 0;
        for (int i = 0; i < job.Keys.Count; i++)
        {
            ReadBackJob.PendingRow pending = job.Keys[i];
            if (!digester.TryGetDigest(i, out ulong digest))
            {
                job.NoteProblem(pending, missing: true);
                Interlocked.Increment(ref _missing);
                _metrics.Verified.Add(1, MissingTag);
                Note(_missingKeys, pending.Key);
            }
            else if (digest != pending.Digest && digester.IsSuperseded(i))
            {
                job.NoteSuperseded(pending);
                Interlocked.Increment(ref _superseded);
                _metrics.Verified.Add(1, SupersededTag);
            }
            else if (digest != pending.Digest)
            {
                job.NoteProblem(pending, missing: false);
                Interlocked.Increment(ref _changed);
                _metrics.Verified.Add(1, ChangedTag);
                Note(_changedKeys, pending.Key);
            }
            else
            {
                matched++;
            }
        }

        Interlocked.Add(ref _matched, matched);
        _metrics.Verified.Add(matched, MatchedTag);
    }

    /// <summary>
    /// One ReadRows call for the job's keys, retried from the start on a transient failure (the digester starts over
    /// with each attempt) until the read retry deadline passes.
    /// </summary>
    private Task ReadAsync(ReadRowsRequest request, List<ReadBackJob.PendingRow> keys, ReadRowsDigester digester, CancellationToken cancellationToken)
    {
        return _readRetry.ExecuteAsync(
            $"Bigtable ReadRows (read-back of {keys.Count} rows) on table '{_target.TableId}'",
            attempt => ReadBackCall.ReadAsync(_target, request, keys, digester, attempt),
            cancellationToken);
    }

    private void Note(List<string> keys, ByteString key)
    {
        lock (_keysLock)
        {
            if (keys.Count < _options.MaxReportedKeys)
            {
                keys.Add(RowKeyFormat.Display(key.Span));
            }
        }
    }
}
