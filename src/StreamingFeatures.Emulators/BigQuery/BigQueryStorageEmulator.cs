using System.Collections.Concurrent;
using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamingFeatures.Sources;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// An in-process BigQuery Storage Read API (<c>google.cloud.bigquery.storage.v1.BigQueryRead</c>) on loopback,
/// HTTP/2 without TLS, serving tables registered from any <see cref="IRowSource"/> (synthetic, files) in Arrow
/// format: CreateReadSession splits a table into contiguous streams, ReadRows sends Arrow IPC record batches from an
/// offset, SplitReadStream splits a stream; selected fields and a subset of row restrictions work, errors carry the
/// real status codes, and faults can be injected per table or stream. Each table is materialised once, on its
/// first session, and held in memory as Arrow (see <see cref="EmulatorTable"/> for the cost); the same table and
/// stream count always give the same split and row order.
/// </summary>
public sealed class BigQueryStorageEmulator : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<EmulatorTable>>> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ReadSessionState> _sessions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private int _disposed;
    private int _readRowsCalls;

    private BigQueryStorageEmulator(BigQueryEmulatorOptions options) => Options = options;

    /// <summary>Where to connect: <c>127.0.0.1:PORT</c>.</summary>
    public string Endpoint { get; private set; } = string.Empty;

    /// <summary>ReadRows calls received so far, including refused ones.</summary>
    public int ReadRowsCalls => Volatile.Read(ref _readRowsCalls);

    internal BigQueryEmulatorOptions Options { get; }

    internal FaultRegistry Faults { get; } = new();

    public static async Task<BigQueryStorageEmulator> StartAsync(BigQueryEmulatorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var emulator = new BigQueryStorageEmulator(options);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(emulator);
        WebApplication app = builder.Build();
        app.MapGrpcService<BigQueryReadService>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        emulator._app = app;
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        emulator.Endpoint = $"{address.Host}:{address.Port}";
        return emulator;
    }

    /// <summary>A channel to the emulator that accepts responses of any size, as Google's clients do.</summary>
    public GrpcChannel CreateChannel() =>
        GrpcChannel.ForAddress(new Uri("http://" + Endpoint), new GrpcChannelOptions { MaxReceiveMessageSize = null });

    /// <summary>
    /// Registers <c>projects/<paramref name="project"/>/datasets/<paramref name="dataset"/>/tables/<paramref name="table"/></c>.
    /// The source runs once, when the first session on the table is created.
    /// </summary>
    public void AddTable(string project, string dataset, string table, IRowSource source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(project);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataset);
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentNullException.ThrowIfNull(source);
        string name = ResourceNames.Table(project, dataset, table);
        if (!ResourceNames.IsTable(name))
        {
            throw new ArgumentException($"'{name}' is not a table name; project, dataset and table may not contain '/'.", nameof(table));
        }

        var load = new Lazy<Task<EmulatorTable>>(() => Task.Run(() => EmulatorTable.MaterialiseAsync(name, source, _stopping.Token)));
        if (!_tables.TryAdd(name, load))
        {
            throw new ArgumentException($"Table {name} is already registered.", nameof(table));
        }
    }

    /// <summary>Registers a table and materialises it now, so the first session does not wait for it.</summary>
    public async Task AddTableAsync(string project, string dataset, string table, IRowSource source, CancellationToken cancellationToken)
    {
        AddTable(project, dataset, table, source);
        await FindTableAsync(ResourceNames.Table(project, dataset, table))!.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a fault to ReadRows calls; see <see cref="BigQueryReadFault"/>.</summary>
    public void InjectFault(BigQueryReadFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        Faults.Add(fault);
    }

    public void ClearFaults() => Faults.Clear();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>The materialised table, or null when no such table is registered.</summary>
    internal Task<EmulatorTable>? FindTableAsync(string name) => _tables.TryGetValue(name, out Lazy<Task<EmulatorTable>>? load) ? load.Value : null;

    internal void AddSession(ReadSessionState session) => _sessions[session.Name] = session;

    internal ReadSessionState? FindSession(string name) => _sessions.GetValueOrDefault(name);

    internal void CountReadRowsCall() => Interlocked.Increment(ref _readRowsCalls);
}
