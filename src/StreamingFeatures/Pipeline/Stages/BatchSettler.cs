using System.Collections.Concurrent;
using Google.Protobuf;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Resilience;
using StreamingFeatures.Telemetry;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Pipeline.Stages;

/// <summary>
/// The end of the graph: settles every written batch. Accounts for every source row (written or dead-lettered),
/// writes the dead letters, keeps order-independent checksums per source partition and key bucket, and reports rows
/// done (<see cref="IRowCompletion"/>: checkpoints, acks). By mode, it gathers rows into read-back jobs of whole batches
/// that the graph's read-back block verifies in parallel against Bigtable; then rows are reported done only once
/// their job is verified, so neither a checkpoint nor an ack ever covers a row that was not proven. Settling runs on
/// one consumer (the pipeline gives it a degree of parallelism of one).
/// </summary>
internal sealed partial class BatchSettler
{
    private readonly VerificationOptions _options;
    private readonly RowDigester _digester;
    private readonly IDeadLetterSink _deadLetters;
    private readonly PipelineMetrics _metrics;
    private readonly BigtableTarget _target;
    private readonly IRowCompletion? _completion;
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
    private long _superseded;
    private long _retries;

    public BatchSettler(
        VerificationOptions options,
        RowMapper mapper,
        IDeadLetterSink deadLetters,
        PipelineMetrics metrics,
        BigtableTarget target,
        IRowCompletion? completion,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        _options = options;
        _readRetry = new CallRetry(options.ReadRetry, time ?? TimeProvider.System);
        _digester = new RowDigester(mapper);
        _deadLetters = deadLetters;
        _metrics = metrics;
        _target = target;
        _completion = completion;
        _job = new ReadBackJob(tracksRanges: completion is not null);
    }

    /// <summary>Write outcomes queued to be settled; set by the graph once its blocks exist.</summary>
    public Func<int> Backlog { get; set; } = () => 0;

    /// <summary>Rows accounted for so far in this run (written or dead-lettered).</summary>
    public long RowsDone => Interlocked.Read(ref _rowsWritten) + Interlocked.Read(ref _deadLettered);

    /// <summary>Settles one write outcome; returns the read-back job it completed, if any, for the read-back block.</summary>
    public async Task<IEnumerable<ReadBackJob>> SettleAsync(WriteOutcome outcome, CancellationToken cancellationToken)
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
                        _job.AddKey(ByteString.CopyFrom(rows.Key(i)), row.Digest, row.TimestampMicros, rows.Mutations(i));
                    }
                }
            }

            _job.AddRetries(outcome.RetriedEntries);
            Interlocked.Add(ref _rowsWritten, outcome.WrittenRows);
            // A job goes when it is full, and also when no outcome waits behind it: rows must not sit unreported (a
            // Pub/Sub source acks on the report, and its flow control stops pulling until it does). The last outcome
            // never has one behind it, so no job is left pending when the graph completes.
            if (_options.Mode == VerificationMode.None
                || _job.Keys.Count >= _options.ReadBatchRows
                || _job.RowCount >= _options.ReadBatchRows
                || Backlog() == 0)
            {
                return Dispatch() is { } job ? [job] : [];
            }

            return [];
        }
        finally
        {
            batch.Dispose();
        }
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
                RowsVerified = Interlocked.Read(ref _matched) + Interlocked.Read(ref _missing) + Interlocked.Read(ref _changed) + Interlocked.Read(ref _superseded),
                Matched = Interlocked.Read(ref _matched),
                Missing = Interlocked.Read(ref _missing),
                Changed = Interlocked.Read(ref _changed),
                Superseded = Interlocked.Read(ref _superseded),
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

    /// <summary>Closes the current job: the job to read back, or null when it had nothing to read (then it is done).</summary>
    private ReadBackJob? Dispatch()
    {
        ReadBackJob job = _job;
        if (job.IsEmpty)
        {
            return null;
        }

        _job = new ReadBackJob(tracksRanges: _completion is not null);
        if (job.Keys.Count == 0)
        {
            _completion?.Complete(job.Ranges());
            return null;
        }

        return job;
    }
}
