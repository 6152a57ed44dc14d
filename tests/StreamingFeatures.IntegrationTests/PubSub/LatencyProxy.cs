using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace StreamingFeatures.IntegrationTests.PubSub;

/// <summary>
/// A loopback TCP proxy in front of an emulator that delays every byte the server sends by a fixed latency, without
/// serialising: each chunk is read as soon as it arrives and written to the client at arrival + latency, so chunks
/// overlap in flight (latency, not a bandwidth cap). What the client sends passes at once.
/// </summary>
internal sealed class LatencyProxy : IAsyncDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _target;
    private readonly TimeSpan _latency;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly List<Socket> _sockets = [];
    private readonly Lock _lock = new();
    private readonly Task _accepting;
    private long _delayedBytes;

    private LatencyProxy(string target, TimeSpan latency)
    {
        _target = target;
        _latency = latency;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary><c>host:port</c> to dial instead of the target.</summary>
    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Server → client bytes that went through the delay.</summary>
    public long DelayedBytes => Interlocked.Read(ref _delayedBytes);

    /// <param name="target"><c>host:port</c> of the server, as an emulator's endpoint.</param>
    /// <param name="latency">How long each chunk the server sends is held before the client gets it.</param>
    public static LatencyProxy Start(string target, TimeSpan latency) => new(target, latency);

    private async Task AcceptAsync()
    {
        string[] hostPort = _target.Split(':');
        try
        {
            while (true)
            {
                Socket client = await _listener.AcceptSocketAsync(_stop.Token);
                var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                client.NoDelay = true;
                try
                {
                    await server.ConnectAsync(hostPort[0], int.Parse(hostPort[1], CultureInfo.InvariantCulture), _stop.Token);
                }
                catch (SocketException)
                {
                    // The target refused: so does the proxy (the client sees the connection close).
                    client.Dispose();
                    server.Dispose();
                    continue;
                }

                lock (_lock)
                {
                    _sockets.Add(client);
                    _sockets.Add(server);
                    _pumps.Add(PassAsync(client, server));
                    _pumps.Add(DelayAsync(server, client));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed.
        }
    }

    /// <summary>Client → server: forwarded as it comes.</summary>
    private async Task PassAsync(Socket from, Socket to)
    {
        byte[] buffer = new byte[ChunkSize];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, _stop.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The connection or the proxy closed.
        }
    }

    /// <summary>Server → client: a reader queues each chunk with its due time; a writer releases each when due.</summary>
    private async Task DelayAsync(Socket from, Socket to)
    {
        Channel<(byte[] Chunk, int Length, long Due)> queue = Channel.CreateUnbounded<(byte[], int, long)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        Task writer = ReleaseAsync(queue.Reader, to);
        long latencyTicks = (long)(_latency.TotalSeconds * Stopwatch.Frequency);
        try
        {
            while (true)
            {
                byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
                int read = await from.ReceiveAsync(chunk, _stop.Token);
                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                    break;
                }

                queue.Writer.TryWrite((chunk, read, Stopwatch.GetTimestamp() + latencyTicks));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The connection or the proxy closed.
        }

        queue.Writer.TryComplete();
        await writer;
    }

    private async Task ReleaseAsync(ChannelReader<(byte[] Chunk, int Length, long Due)> queue, Socket to)
    {
        try
        {
            await foreach ((byte[] chunk, int length, long due) in queue.ReadAllAsync(_stop.Token))
            {
                TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _stop.Token);
                }

                await to.SendAsync(chunk.AsMemory(0, length), _stop.Token);
                Interlocked.Add(ref _delayedBytes, length);
                ArrayPool<byte>.Shared.Return(chunk);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The connection or the proxy closed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] pumps;
        lock (_lock)
        {
            pumps = [.. _pumps];
            foreach (Socket socket in _sockets)
            {
                socket.Dispose();
            }
        }

        await Task.WhenAll(pumps);
        _stop.Dispose();
    }
}
