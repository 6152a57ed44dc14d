using System.Collections.Concurrent;
using System.Threading.Tasks.Dataflow;
using Google.Protobuf;
using Grpc.Core;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Resilience;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Verification;

/// <summary>
/// The end of the graph. Accounts for every source row (written or dead-lettered), keeps order-independent
/// checksums per source partition and key bucket, and, by mode, reads rows back from Bigtable and compares their
/// digests. Accounting runs on one consumer (the pipeline gives it a degree of parallelism of one); read-backs run
/// in parallel, bounded, in jobs of whole batches. Rows are reported done (<see cref="IRowCompletion"/>) only once their
/// job is verified, so neither a checkpoint nor an ack ever covers a row that was not proven.
/// </summary>
internal sealed partial class VerificationSink
{
    private readonly VerificationOptions _options;
    private readonly RowDigester _digester;
    private readonly IDeadLetterSink _deadLetters;
    private readonly PipelineMetrics _metrics;
    private readonly CallInvoker? _reader;
    private readonly string _tableName;
    private readonly string? _appProfileId;
    private readonly IRowCompletion? _completion;
    private readonly ActionBlock<ReadBackJob> _readBack;
    private readonly Dictionary<int, Checksum> _byPartition = [];
    private readonly Dictionary<int, Checksum> _byBucket = [];
    private readonly Lock _keysLock = new();
    private readonly ConcurrentBag<ReadRowsDigester> _digesters = [];
    private readonly CallRetry _readRetry;

    // The checksums, rows read and retries: written by the one consumer per batch, read by Report() from other threads
    // (the checkpoint writer), which would otherwise copy a dictionary while it grows.
    private readonly Lock _tallyLock = new();
    private readonly List<string> _missingKeys = [];
    private readonly List<string> _changedKeys = [];
    private ReadBackJob _job;
    private long _rowsRead;
    private long _rowsWritten;
    private long _deadLettered;
    private long _matched;
    private long _missing;
    private long _changed;
    private long _retries;

    public VerificationSink(
        VerificationOptions options,
        RowMapper mapper,
        IDeadLetterSink deadLetters,
        PipelineMetrics metrics,
        CallInvoker? reader,
        string tableName,
        string? appProfileId,
        IRowCompletion? completion,
        CancellationToken abort,
        TimeProvider? time = null)
    {
        if (options.Mode != VerificationMode.None && reader is null)
        {
            throw new ArgumentException($"Verification mode {options.Mode} reads rows back and needs a Bigtable client.", nameof(reader));
        }

        _options = options;
        _readRetry = new CallRetry(options.ReadRetry, time ?? TimeProvider.System);
        _digester = new RowDigester(mapper);
        _deadLetters = deadLetters;
        _metrics = metrics;
        _reader = reader;
        _tableName = tableName;
        _appProfileId = appProfileId;
        _completion = completion;
        _job = new ReadBackJob(tracksRanges: completion is not null);
        _readBack = new ActionBlock<ReadBackJob>(
            job => VerifyAsync(job, abort),
            new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = options.ReadParallelism, BoundedCapacity = options.ReadParallelism, CancellationToken = abort });
    }

    /// <summary>Write outcomes queued for this sink; set by the graph once its blocks exist.</summary>
    public Func<int> Backlog { get; set; } = () => 0;

    /// <summary>Rows accounted for so far in this run (written or dead-lettered).</summary>
    public long RowsDone => Interlocked.Read(ref _rowsWritten) + Interlocked.Read(ref _deadLettered);

    /// <summary>Faults when a read-back fails for good; the pipeline watches it like its blocks.</summary>
    public Task ReadBackCompletion => _readBack.Completion;

    /// <summary>Read-back jobs queued or running, for the queue-depth gauge.</summary>
    public int ReadBackQueue => _readBack.InputCount;

    public async Task AcceptAsync(WriteOutcome outcome, CancellationToken cancellationToken)
    {
        MutationBatch batch = outcome.Batch;
        try
        {
            await WriteDeadLettersAsync(batch.DeadLetters, cancellationToken).ConfigureAwait(false);
            await WriteDeadLettersAsync(outcome.WriteFailures, cancellationToken).ConfigureAwait(false);
            RowBuffer rows = batch.Rows;
            lock (_tallyLock)
            {
                _rowsRead += batch.SourceRows;
                _retries += outcome.RetriedEntries;
                for (int i = 0; i < rows.RowCount; i++)
                {
                    if (outcome.Failed[i])
                    {
                        continue;
                    }

                    ref readonly MappedRow row = ref rows[i];
                    _byPartition[row.Partition] = _byPartition.GetValueOrDefault(row.Partition).Add(row.Digest);
                    _byBucket[row.Bucket] = _byBucket.GetValueOrDefault(row.Bucket).Add(row.Digest);
                    _job.AddWritten(row.Partition, row.SourceOffset, row.Digest);
                    if (Selected(row.Digest))
                    {
                        _job.AddKey(ByteString.CopyFrom(rows.Key(i)), row.Digest, row.TimestampMicros);
                    }
                }
            }

            _job.AddRetries(outcome.RetriedEntries);
            Interlocked.Add(ref _rowsWritten, outcome.WrittenRows);
            // A job goes when it is full, and also when no outcome waits behind it: rows must not sit unreported (a
            // Pub/Sub source acks on the report, and its flow control stops pulling until it does).
            if (_options.Mode == VerificationMode.None
                || _job.Keys.Count >= _options.ReadBatchRows
                || _job.RowCount >= _options.ReadBatchRows
                || Backlog() == 0)
            {
                await DispatchAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            batch.Dispose();
        }
    }

    /// <summary>Verifies whatever is still pending and waits for every read-back; call once the writer is done.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await DispatchAsync(cancellationToken).ConfigureAwait(false);
        _readBack.Complete();
        await _readBack.Completion.ConfigureAwait(false);
    }

    public IntegrityReport Report()
    {
        lock (_keysLock)
        lock (_tallyLock)
        {
            return new IntegrityReport
            {
                Mode = _options.Mode,
                RowsRead = _rowsRead,
                RowsWritten = Interlocked.Read(ref _rowsWritten),
                DeadLettered = Interlocked.Read(ref _deadLettered),
                RowsVerified = Interlocked.Read(ref _matched) + Interlocked.Read(ref _missing) + Interlocked.Read(ref _changed),
                Matched = Interlocked.Read(ref _matched),
                Missing = Interlocked.Read(ref _missing),
                Changed = Interlocked.Read(ref _changed),
                MissingKeys = [.. _missingKeys],
                ChangedKeys = [.. _changedKeys],
                ByPartition = new Dictionary<int, Checksum>(_byPartition),
                ByBucket = new Dictionary<int, Checksum>(_byBucket),
                Retries = _retries,
            };
        }
    }

    private async Task WriteDeadLettersAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        foreach (DeadLetter deadLetter in deadLetters)
        {
            await _deadLetters.WriteAsync(deadLetter, cancellationToken).ConfigureAwait(false);
            _metrics.DeadLetters.Add(1, new KeyValuePair<string, object?>("reason", deadLetter.Reason.ToString()));
            _job.AddDeadLetter(deadLetter.Partition, deadLetter.Offset);
        }

        Interlocked.Add(ref _deadLettered, deadLetters.Count);
    }

    private bool Selected(ulong digest) => _options.Mode switch
    {
        VerificationMode.Full => true,
        VerificationMode.Sampled => (digest % 1_000_000UL) < (ulong)(_options.SampleRate * 1_000_000),
        _ => false,
    };

    /// <summary>Hands the current job to the read-back workers (or completes it when it has nothing to read).</summary>
    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        ReadBackJob job = _job;
        if (job.IsEmpty)
        {
            return;
        }

        _job = new ReadBackJob(tracksRanges: _completion is not null);
        if (job.Keys.Count == 0)
        {
            _completion?.Complete(job.Ranges());
            return;
        }

        if (!await _readBack.SendAsync(job, cancellationToken).ConfigureAwait(false))
        {
            await _readBack.Completion.ConfigureAwait(false);
            throw new OperationCanceledException("Read-back stopped.", cancellationToken);
        }
    }
}
