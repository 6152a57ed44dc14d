using Grpc.Core;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Resilience;
using RpcStatus = Google.Rpc.Status;

namespace StreamingFeatures.Bigtable;

/// <summary>
/// The per-entry bookkeeping of one MutateRows batch over its attempts, as Google's BigtableMutateRowsRequestManager
/// keeps it: which entries an attempt sends, which landed, which failed for good (with their code) and which go out
/// again. Entries are batch indexes; response entry <c>i</c> refers to the <c>i</c>-th entry the attempt sent. No I/O
/// and no clock: the writer drives it.
/// </summary>
internal sealed class MutateRowsRequestManager
{
    private readonly bool[] _failed;
    private readonly List<EntryFailure> _failures = [];
    private List<int> _pending;
    private int[] _sent = [];
    private bool[] _answered = [];
    private List<int> _stillPending = [];
    private TimeSpan? _retryDelay;

    public MutateRowsRequestManager(int entries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(entries);
        _failed = new bool[entries];
        _pending = [.. Enumerable.Range(0, entries)];
    }

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; private set; }

    /// <summary>Entries sent again, summed over the attempts after the first.</summary>
    public long Retried { get; private set; }

    /// <summary>The entries the next attempt sends (after an attempt: those still failing retryably or unanswered).</summary>
    public IReadOnlyList<int> Pending => _pending;

    /// <summary>By batch index: true when the entry failed for good.</summary>
    public bool[] Failed => _failed;

    /// <summary>The entries that failed for good, in the order they failed.</summary>
    public IReadOnlyList<EntryFailure> Failures => _failures;

    /// <summary>The last attempt failed as a whole call (no connection, reset, timeout), not entry by entry.</summary>
    public bool CallFailed { get; private set; }

    public StatusCode LastRetryableCode { get; private set; }

    public string LastRetryableMessage { get; private set; } = string.Empty;

    /// <summary>Starts an attempt and returns the batch indexes it sends, in request order.</summary>
    public IReadOnlyList<int> StartAttempt()
    {
        if (Attempts > 0)
        {
            Retried += _pending.Count;
        }

        Attempts++;
        _sent = [.. _pending];
        _answered = new bool[_sent.Length];
        _stillPending = [];
        _retryDelay = null;
        CallFailed = false;
        return _sent;
    }

    /// <summary>Records the status the server gave the attempt's entry at <paramref name="position"/>.</summary>
    public EntryResult OnEntry(long position, RpcStatus? status)
    {
        if (position < 0 || position >= _answered.Length || _answered[position])
        {
            return EntryResult.Ignored;
        }

        _answered[position] = true;
        int index = _sent[position];
        var code = (StatusCode)(status?.Code ?? 0);
        if (code == StatusCode.OK)
        {
            return EntryResult.Written;
        }

        TimeSpan? delay = TransientErrors.RetryDelay(status);
        if (TransientErrors.IsRetryableWrite(code, delay is not null))
        {
            _stillPending.Add(index);
            _retryDelay = Max(_retryDelay, delay);
            NoteRetryable(code, status!.Message);
            return EntryResult.Retry;
        }

        Fail(index, DeadLetterReason.PermanentWriteFailure, code, status!.Message);
        return EntryResult.Failed;
    }

    /// <summary>The call failed as a whole: every entry not answered yet is retried or failed by its code. True when retryable.</summary>
    public bool OnCallFailed(StatusCode code, string detail, TimeSpan? retryDelay)
    {
        bool retryable = TransientErrors.IsRetryableWrite(code, retryDelay is not null);
        _retryDelay = Max(_retryDelay, retryDelay);
        for (int i = 0; i < _answered.Length; i++)
        {
            if (_answered[i])
            {
                continue;
            }

            _answered[i] = true;
            if (retryable)
            {
                _stillPending.Add(_sent[i]);
            }
            else
            {
                Fail(_sent[i], DeadLetterReason.PermanentWriteFailure, code, detail);
            }
        }

        CallFailed = retryable;
        if (retryable)
        {
            NoteRetryable(code, detail);
        }

        return retryable;
    }

    /// <summary>Ends the attempt: what is still pending, and the longest delay the server asked for.</summary>
    public WriteAttempt EndAttempt()
    {
        // An entry the server never answered for is unknown, not lost: writes are idempotent, so send it again.
        for (int i = 0; i < _answered.Length; i++)
        {
            if (!_answered[i])
            {
                _stillPending.Add(_sent[i]);
                NoteRetryable(StatusCode.Unknown, "no status returned for the entry");
            }
        }

        _answered = [];
        _pending = _stillPending;
        return new WriteAttempt(_pending.Count, _retryDelay);
    }

    /// <summary>Retries are over: every entry still pending fails as retries exhausted.</summary>
    public void GiveUp(TimeSpan retryDeadline)
    {
        foreach (int index in _pending)
        {
            Fail(index, DeadLetterReason.RetriesExhausted, LastRetryableCode, $"Still failing with {LastRetryableCode} after {Attempts} attempts over {retryDeadline}: {LastRetryableMessage}");
        }
    }

    /// <summary>One attempt's gRPC deadline: its own timeout, or what is left of the retry deadline when less (at least 1 ms).</summary>
    public static DateTime AttemptDeadline(DateTimeOffset now, DateTimeOffset retryDeadline, TimeSpan attemptTimeout)
    {
        TimeSpan left = retryDeadline - now;
        TimeSpan timeout = left < attemptTimeout ? (left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1)) : attemptTimeout;
        return (now + timeout).UtcDateTime;
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    private void NoteRetryable(StatusCode code, string message)
    {
        LastRetryableCode = code;
        LastRetryableMessage = message;
    }

    private void Fail(int index, DeadLetterReason reason, StatusCode code, string message)
    {
        if (!_failed[index])
        {
            _failed[index] = true;
            _failures.Add(new EntryFailure(index, reason, code, message));
        }
    }
}
