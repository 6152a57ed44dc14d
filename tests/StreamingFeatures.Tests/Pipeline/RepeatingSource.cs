using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Tests.Pipeline;

/// <summary>Sends one synthetic chunk over and over, counting what the pipeline accepted: a source that never ends.</summary>
internal sealed class RepeatingSource : IRowSource
{
    private readonly SourceChunk _chunk;
    private long _sent;
    private int _waiting;

    private RepeatingSource(SyntheticSource synthetic, SourceChunk chunk)
    {
        Synthetic = synthetic;
        _chunk = chunk;
    }

    public SyntheticSource Synthetic { get; }

    public int ChunkRows => _chunk.RowCount;

    public long ChunksSent => Interlocked.Read(ref _sent);

    public SourceSchema Schema => Synthetic.Schema;

    public string Description => "repeating";

    public long? ExpectedRows => null;

    public static async Task<RepeatingSource> CreateAsync(int chunkRows)
    {
        var synthetic = new SyntheticSource(new SyntheticSourceOptions { Rows = chunkRows, ChunkRows = chunkRows, Partitions = 1 });
        var buffer = new BufferBlock<SourceChunk>();
        await synthetic.RunAsync(buffer, CancellationToken.None);
        return new RepeatingSource(synthetic, await buffer.ReceiveAsync());
    }

    /// <summary>True while the source waits on a send the graph has not taken: the graph pushes back.</summary>
    public bool WaitingOnSend => Volatile.Read(ref _waiting) != 0;

    public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<bool> send = target.SendAsync(_chunk, cancellationToken);
            if (!send.IsCompleted)
            {
                Volatile.Write(ref _waiting, 1);
            }

            bool taken = await send;
            Volatile.Write(ref _waiting, 0);
            if (!taken)
            {
                return;
            }

            Interlocked.Increment(ref _sent);
        }
    }
}
