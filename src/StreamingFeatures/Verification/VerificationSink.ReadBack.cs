using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Keys;

namespace StreamingFeatures.Verification;

/// <summary>Read-back: one ReadRows call per job, jobs in parallel, digests compared, results counted.</summary>
internal sealed partial class VerificationSink
{
    private const int ReadAttempts = 5;
    private static readonly KeyValuePair<string, object?> MatchedTag = new("result", "matched");
    private static readonly KeyValuePair<string, object?> MissingTag = new("result", "missing");
    private static readonly KeyValuePair<string, object?> ChangedTag = new("result", "changed");

    private async Task VerifyAsync(ReadBackJob job, CancellationToken cancellationToken)
    {
        var request = new ReadRowsRequest { TableName = _tableName, AppProfileId = _appProfileId ?? string.Empty, Rows = new RowSet() };
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

    private async Task ReadAsync(ReadRowsRequest request, List<ReadBackJob.PendingRow> keys, ReadRowsDigester digester, CancellationToken cancellationToken)
    {
        var options = new CallOptions(BigtableWriter.RequestParams(_tableName, _appProfileId), cancellationToken: cancellationToken);
        for (int attempt = 1; ; attempt++)
        {
            digester.Start(keys);
            try
            {
                using AsyncServerStreamingCall<ReadRowsRawMethod.RawResponse> call = _reader!.AsyncServerStreamingCall(ReadRowsRawMethod.Method, null, options, request);
                while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    using ReadRowsRawMethod.RawResponse response = call.ResponseStream.Current;
                    digester.Add(response.Span);
                }

                digester.Complete();
                return;
            }
            catch (RpcException e) when (attempt < ReadAttempts && WriteStatus.IsRetryable(e.StatusCode, hasRetryInfo: true) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * (1 << attempt)), cancellationToken).ConfigureAwait(false);
            }
        }
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
