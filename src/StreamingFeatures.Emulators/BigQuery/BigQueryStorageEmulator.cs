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
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamingFeatures.Sources;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// An in-process BigQuery Storage Read API (<c>google.cloud.bigquery.storage.v1.BigQueryRead</c>) on loopback,
/// HTTP/2 without TLS, serving tables registered from any <see cref="IRowSource"/> (synthetic, files) in Arrow or
/// Avro format: CreateReadSession splits a table into contiguous streams, ReadRows sends Arrow IPC record batches or
/// Avro binary rows from an offset (the same rows either way), SplitReadStream splits a stream; selected fields and a subset of row restrictions work, errors carry the
/// real status codes, and faults can be injected per table or stream. A source with random access
/// (<see cref="IRandomAccessRowSource"/>, e.g. the synthetic source) is served on demand, batch by batch, in flat
/// memory whatever its size (<see cref="OnDemandTable"/>); any other source is materialised once, on its first
/// session, and held in memory as Arrow (see <see cref="MaterialisedTable"/> for the cost). The same table and stream
/// count always give the same split and row order.
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

    /// <summary>The lifetime of the emulator's web host (it must leave process signals to the program it runs in).</summary>
    internal IHostLifetime Lifetime => _app!.Services.GetRequiredService<IHostLifetime>();

    public static async Task<BigQueryStorageEmulator> StartAsync(BigQueryEmulatorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var emulator = new BigQueryStorageEmulator(options);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port, l => l.Protocols = HttpProtocols.Http2);

            // A client that paces its reads (backpressure, load profiles) holds a ReadRows stream open while sending
            // little; the real service keeps serving it, while Kestrel's default minimum rate would abort the connection.
            k.Limits.MinResponseDataRate = null;
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(emulator);

        // The emulator lives inside a command or a test that owns SIGTERM and Ctrl+C. The default console lifetime
        // would register its own handlers; the runtime calls the newest first and stops at the first that cancels,
        // so the command's own handler never ran and `emulator bigquery` or `migrate --local` ignored a SIGTERM.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
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
    /// A source implementing <see cref="IRandomAccessRowSource"/> is read on demand and never held; any other source
    /// runs once, when the first session on the table is created, and is held in memory.
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

        var load = source is IRandomAccessRowSource random
            ? new Lazy<Task<EmulatorTable>>(() => Task.FromResult<EmulatorTable>(new OnDemandTable(name, random)))
            : new Lazy<Task<EmulatorTable>>(() => Task.Run<EmulatorTable>(async () => await MaterialisedTable.MaterialiseAsync(name, source, _stopping.Token).ConfigureAwait(false)));
        if (!_tables.TryAdd(name, load))
        {
            throw new ArgumentException($"Table {name} is already registered.", nameof(table));
        }
    }

    /// <summary>Registers a table and materialises it now (unless it is served on demand), so the first session does not wait for it.</summary>
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

    /// <summary>The table (materialised or on demand), or null when no such table is registered.</summary>
    internal Task<EmulatorTable>? FindTableAsync(string name) => _tables.TryGetValue(name, out Lazy<Task<EmulatorTable>>? load) ? load.Value : null;

    internal void AddSession(ReadSessionState session) => _sessions[session.Name] = session;

    internal ReadSessionState? FindSession(string name) => _sessions.GetValueOrDefault(name);

    /// <summary>Rows served per session and stream so far, sessions by name.</summary>
    public IReadOnlyList<SessionRowsServed> RowsServed() => [.. _sessions.Values.Select(s => s.Served()).OrderBy(s => s.Session, StringComparer.Ordinal)];

    internal void CountReadRowsCall() => Interlocked.Increment(ref _readRowsCalls);
}
