using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources;

namespace StreamingFeatures.Tests.Sources;

/// <summary>
/// The graph as a source sees it, with room for a fixed number of chunks: it takes chunks while it has room and
/// postpones every other offer, as a bounded block does, telling the test when a sender has reached that wait
/// (<see cref="Postponed"/>) and, through the callback given, of each chunk as it arrives. Taking chunks out makes
/// room, and the postponed offers are then consumed in order, as a bounded block consumes them.
/// </summary>
internal sealed class RoomTarget(int room, Action<SourceChunk>? arrived = null) : ITargetBlock<SourceChunk>
{
    private readonly Lock _gate = new();
    private readonly Queue<SourceChunk> _held = new();
    private readonly Queue<(ISourceBlock<SourceChunk> Source, DataflowMessageHeader Header)> _waiting = new();
    private readonly TaskCompletionSource _postponed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _reserved;

    /// <summary>Completes when an offer was first postponed: a sender is waiting for room.</summary>
    public Task Postponed => _postponed.Task;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    public Task Completion => _completion.Task;

    public DataflowMessageStatus OfferMessage(DataflowMessageHeader messageHeader, SourceChunk messageValue, ISourceBlock<SourceChunk>? source, bool consumeToAccept)
    {
        lock (_gate)
        {
            if (_completion.Task.IsCompleted)
            {
                return DataflowMessageStatus.DecliningPermanently;
            }

            if (_waiting.Count > 0 || _held.Count + _reserved >= room)
            {
                if (source is null)
                {
                    return DataflowMessageStatus.Declined;
                }

                _waiting.Enqueue((source, messageHeader));
                _postponed.TrySetResult();
                return DataflowMessageStatus.Postponed;
            }

            _reserved++;
        }

        bool consumed = true;
        if (consumeToAccept)
        {
            messageValue = source!.ConsumeMessage(messageHeader, this, out consumed)!;
        }

        Keep(consumed ? messageValue : null);
        return consumed ? DataflowMessageStatus.Accepted : DataflowMessageStatus.NotAvailable;
    }

    /// <summary>Takes the chunks held, oldest first, then lets the postponed offers in while there is room.</summary>
    public List<SourceChunk> TakeAll()
    {
        List<SourceChunk> taken;
        lock (_gate)
        {
            taken = [.. _held];
            _held.Clear();
        }

        while (TryReserveForWaiting(out (ISourceBlock<SourceChunk> Source, DataflowMessageHeader Header) offer))
        {
            SourceChunk? chunk = offer.Source.ConsumeMessage(offer.Header, this, out bool consumed);
            Keep(consumed ? chunk : null);
        }

        return taken;
    }

    public void Complete() => _completion.TrySetResult();

    public void Fault(Exception exception) => _completion.TrySetException(exception);

    /// <summary>Fills a reserved place with the chunk consumed for it (or frees it when the offer was gone).</summary>
    private void Keep(SourceChunk? chunk)
    {
        if (chunk is not null)
        {
            arrived?.Invoke(chunk);
        }

        lock (_gate)
        {
            _reserved--;
            if (chunk is not null)
            {
                _held.Enqueue(chunk);
            }
        }
    }

    private bool TryReserveForWaiting(out (ISourceBlock<SourceChunk> Source, DataflowMessageHeader Header) offer)
    {
        lock (_gate)
        {
            if (_held.Count + _reserved < room && _waiting.TryDequeue(out offer))
            {
                _reserved++;
                return true;
            }

            offer = default;
            return false;
        }
    }
}
