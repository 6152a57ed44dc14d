using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace StreamingFeatures.IntegrationTests.Faults;

/// <summary>What the proxy does to connections while a fault is on.</summary>
public enum ProxyMode
{
    /// <summary>Bytes pass both ways.</summary>
    Pass,

    /// <summary>New connections are accepted and closed at once; open connections are reset (RST, linger 0).</summary>
    Refuse,

    /// <summary>Open connections are reset (RST); new connections pass.</summary>
    Reset,

    /// <summary>Connections stay open but nothing is forwarded either way until the mode changes; held bytes then flow.</summary>
    Stall,
}

/// <summary>
/// A loopback TCP proxy in front of an emulator that can refuse, reset and stall connections, to show that every call
/// rides through a short outage at the connection level, as a network blip or a restarting front end causes.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _host;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(Socket Client, Socket Server)> _connections = [];
    private readonly List<Task> _pumps = [];
    private readonly Lock _lock = new();
    private readonly Task _accepting;
    private volatile TaskCompletionSource _flowing = NewGate(open: true);
    private volatile ProxyMode _mode = ProxyMode.Pass;
    private long _refused;
    private long _reset;
    private long _forwarded;

    private FaultProxy(string target)
    {
        string[] hostPort = target.Split(':');
        _host = hostPort[0];
        _port = int.Parse(hostPort[1], CultureInfo.InvariantCulture);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary><c>host:port</c> to dial instead of the target.</summary>
    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public ProxyMode Mode => _mode;

    /// <summary>Connections closed at accept while refusing.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Open connections reset.</summary>
    public long ResetConnections => Interlocked.Read(ref _reset);

    /// <summary>Bytes forwarded either way so far.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <param name="target"><c>host:port</c> of the server.</param>
    public static FaultProxy Start(string target) => new(target);

    /// <summary>Switches the mode: Refuse and Reset reset every open connection now; Stall holds traffic until the next switch.</summary>
    public void Set(ProxyMode mode)
    {
        _mode = mode;
        if (mode == ProxyMode.Stall)
        {
            if (_flowing.Task.IsCompleted)
            {
                _flowing = NewGate(open: false);
            }
        }
        else
        {
            _flowing.TrySetResult();
        }

        if (mode is ProxyMode.Refuse or ProxyMode.Reset)
        {
            ResetAll();
        }
    }

    /// <summary>Runs <paramref name="mode"/> for <paramref name="duration"/>, then passes again.</summary>
    public async Task OutageAsync(ProxyMode mode, TimeSpan duration, CancellationToken cancellationToken)
    {
        Set(mode);
        try
        {
            await Task.Delay(duration, cancellationToken);
        }
        finally
        {
            Set(ProxyMode.Pass);
        }
    }

    private static TaskCompletionSource NewGate(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            gate.SetResult();
        }

        return gate;
    }

    private void ResetAll()
    {
        (Socket Client, Socket Server)[] open;
        lock (_lock)
        {
            open = [.. _connections];
            _connections.Clear();
        }

        foreach ((Socket client, Socket server) in open)
        {
            Abort(client);
            Abort(server);
            Interlocked.Increment(ref _reset);
        }
    }

    /// <summary>Closes with linger 0, so the peer gets RST instead of FIN.</summary>
    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                Socket client = await _listener.AcceptSocketAsync(_stop.Token);
                if (_mode == ProxyMode.Refuse)
                {
                    Interlocked.Increment(ref _refused);
                    Abort(client);
                    continue;
                }

                _ = ConnectAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed.
        }
    }

    private async Task ConnectAsync(Socket client)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            // A stalled proxy holds the new connection open without reaching the server.
            await _flowing.Task.WaitAsync(_stop.Token);
            await server.ConnectAsync(_host, _port, _stop.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Abort(client);
            server.Dispose();
            return;
        }

        lock (_lock)
        {
            _connections.Add((client, server));
            _pumps.Add(PumpAsync(client, server));
            _pumps.Add(PumpAsync(server, client));
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        byte[] buffer = new byte[ChunkSize];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, _stop.Token)) > 0)
            {
                await _flowing.Task.WaitAsync(_stop.Token);
                await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
                Interlocked.Add(ref _forwarded, read);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The connection was reset, or the proxy closed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        ResetAll();
        Task[] pumps;
        lock (_lock)
        {
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps);
        _stop.Dispose();
    }
}
