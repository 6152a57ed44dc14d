using System.Threading.Tasks.Dataflow;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Resilience;
using StreamingFeatures.Sources;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Jobs;

/// <summary>
/// The source's side: chunks mapped in parallel as a migration maps them, each chunk's rows of this shard read back
/// by key, in requests of the verification's batch size, and compared at each row's event timestamp.
/// </summary>
public sealed partial class VerifyJob
{
    private CallRetry? _readRetry;

    /// <summary>Reads <paramref name="source"/> through a bounded block: memory is the chunks in flight, whatever the source's size.</summary>
    private async Task ReadSourceAsync(IRowSource source, Func<SourceChunk, CancellationToken, Task> onChunk, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int parallelism = _options.Verification.ReadParallelism;
        var block = new ActionBlock<SourceChunk>(
            chunk => onChunk(chunk, stop.Token),
            new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = parallelism, BoundedCapacity = parallelism * 2, CancellationToken = stop.Token });

        // A faulted block refuses chunks; the source must stop too rather than wait on it.
        _ = block.Completion.ContinueWith(_ => stop.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        try
        {
            await source.RunAsync(block, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (block.Completion.IsFaulted && !cancellationToken.IsCancellationRequested)
        {
            // The block's own fault is the cause: it is thrown below.
        }
        finally
        {
            block.Complete();
        }

        await block.Completion.ConfigureAwait(false);
    }

    /// <summary>One chunk of the first pass: its rows of this shard compared with the table.</summary>
    private async Task CompareChunkAsync(SourceChunk chunk, CancellationToken cancellationToken)
    {
        using MappedChunk mapped = _mapper!.Map(chunk);
        Interlocked.Add(ref _rejected, mapped.DeadLetters.Count);
        RowBuffer rows = mapped.Rows;
        var keys = new List<ReadBackJob.PendingRow>(Math.Min(rows.RowCount, _options.Verification.ReadBatchRows));
        var hashes = new List<ulong>(keys.Capacity);
        for (int i = 0; i < rows.RowCount; i++)
        {
            ReadOnlySpan<byte> key = rows.Key(i);
            ulong hash = KeyRanges.KeyHash(key);
            if (!Owned(hash))
            {
                continue;
            }

            // The mutations stay in the chunk's buffer, alive until its rows are compared.
            ref readonly MappedRow row = ref rows[i];
            int mutations = row.KeyOffset + row.KeyLength;
            var expected = new ReadOnlyMemory<byte>(rows.Bytes, mutations, row.Offset + row.Length - mutations);
            keys.Add(new ReadBackJob.PendingRow(ByteString.CopyFrom(key), row.Digest, row.TimestampMicros, -1, expected));
            hashes.Add(hash);
            if (keys.Count == _options.Verification.ReadBatchRows)
            {
                await CompareAsync(keys, hashes, cancellationToken).ConfigureAwait(false);
                keys.Clear();
                hashes.Clear();
            }
        }

        if (keys.Count > 0)
        {
            await CompareAsync(keys, hashes, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Add(ref _rowsChecked, chunk.RowCount);
    }

    private async Task CompareAsync(List<ReadBackJob.PendingRow> keys, List<ulong> hashes, CancellationToken cancellationToken)
    {
        ReadRowsDigester digester = _digesters.TryTake(out ReadRowsDigester? idle) ? idle : new ReadRowsDigester(_digester!);
        try
        {
            await ReadBackAsync(keys, digester, cancellationToken).ConfigureAwait(false);
            TableComparison comparison = Comparison;
            for (int i = 0; i < keys.Count; i++)
            {
                ReadOnlySpan<byte> key = keys[i].Key.Span;
                comparison.NoteSource(comparison.Ranges.IndexOf(key), hashes[i], digester.Outcome(i), key);
            }
        }
        finally
        {
            _digesters.Add(digester);
        }
    }

    /// <summary>The read-back of a migration's verification: one ReadRows for the keys, retried from the start.</summary>
    private Task ReadBackAsync(List<ReadBackJob.PendingRow> keys, ReadRowsDigester digester, CancellationToken cancellationToken)
    {
        BigtableTarget target = Target;
        var request = new ReadRowsRequest { TableName = target.TableName, AppProfileId = target.AppProfileId ?? string.Empty, Rows = new RowSet() };
        foreach (ReadBackJob.PendingRow pending in keys)
        {
            request.Rows.RowKeys.Add(pending.Key);
        }

        return (_readRetry ??= Retry(_options.Verification.ReadRetry)).ExecuteAsync(
            $"Bigtable ReadRows (read-back of {keys.Count} rows) on table '{target.TableId}'",
            attempt => ReadBackCall.ReadAsync(target, request, keys, digester, attempt),
            cancellationToken);
    }
}
