using System.Net;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StreamingFeatures.IntegrationTests.Fakes;

/// <summary>
/// An in-process Bigtable data API on loopback (HTTP/2 without TLS) for the faults the emulator cannot produce,
/// in the manner of Google's client conformance suite (googleapis/cloud-bigtable-clients-test): per-entry statuses,
/// whole-call failures, RetryInfo, RateLimitInfo and latency, all scripted by <see cref="FakeFaults"/>. It records
/// every MutateRows call and keeps a table of what landed, counting how many times each key was applied.
/// </summary>
internal sealed class FakeBigtableServer : IAsyncDisposable
{
    private readonly FakeFaults _faults;
    private readonly long _started = TimeProvider.System.GetTimestamp();
    private readonly Lock _gate = new();
    private readonly List<FakeCall> _calls = [];
    private readonly Dictionary<ByteString, int> _sends = [];
    private WebApplication? _app;
    private TimeSpan? _firstArrival;
    private int _callCount;

    private FakeBigtableServer(FakeFaults faults) => _faults = faults;

    /// <summary>Where to connect: <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri Address { get; private set; } = null!;

    public FakeTable Table { get; } = new();

    /// <summary>Time since the server started, on the clock <see cref="FakeCall"/> times use.</summary>
    public TimeSpan Elapsed => TimeProvider.System.GetElapsedTime(_started);

    /// <summary>Every MutateRows call so far, in arrival order.</summary>
    public IReadOnlyList<FakeCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls.OrderBy(c => c.Number)];
            }
        }
    }

    public static async Task<FakeBigtableServer> StartAsync(FakeFaults faults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var server = new FakeBigtableServer(faults);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 64 * 1024 * 1024);
        builder.Services.AddSingleton(server);
        WebApplication app = builder.Build();
        app.MapGrpcService<FakeBigtableService>();
        await app.StartAsync(cancellationToken);
        server._app = app;
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.Address = new Uri(address);
        return server;
    }

    public GrpcChannel CreateChannel() => GrpcChannel.ForAddress(Address);

    /// <summary>Every key the fake has been sent, with the calls that carried it and the code each answered, in order.</summary>
    public IReadOnlyDictionary<ByteString, List<(FakeCall Call, StatusCode Code)>> Histories()
    {
        var histories = new Dictionary<ByteString, List<(FakeCall, StatusCode)>>();
        foreach (FakeCall call in Calls)
        {
            for (int i = 0; i < call.Request.Entries.Count; i++)
            {
                ByteString key = call.Key(i);
                if (!histories.TryGetValue(key, out List<(FakeCall, StatusCode)>? history))
                {
                    histories[key] = history = [];
                }

                history.Add((call, call.EntryCodes[i]));
            }
        }

        return histories;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    internal async Task MutateRowsAsync(MutateRowsRequest request, IServerStreamWriter<MutateRowsResponse> responses, ServerCallContext context)
    {
        int number = Interlocked.Increment(ref _callCount);
        TimeSpan arrived = Elapsed;
        int count = request.Entries.Count;
        int[] sends = new int[count];
        TimeSpan sinceFirst;
        lock (_gate)
        {
            _firstArrival ??= arrived;
            sinceFirst = arrived - _firstArrival.Value;
            for (int i = 0; i < count; i++)
            {
                ByteString key = request.Entries[i].RowKey;
                sends[i] = _sends[key] = _sends.GetValueOrDefault(key) + 1;
            }
        }

        void Record(StatusCode status, IReadOnlyList<StatusCode> codes, bool rateLimited = false)
        {
            lock (_gate)
            {
                _calls.Add(new FakeCall(number, arrived, Elapsed, request, context.RequestHeaders, status, codes, rateLimited));
            }
        }

        try
        {
            if (_faults.Latency?.Invoke(number) is { } latency && latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, context.CancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The client gave up (its deadline, or a cancel) before the answer: nothing was applied.
            Record(StatusCode.Cancelled, Enumerable.Repeat(StatusCode.Cancelled, count).ToArray());
            throw;
        }

        if (_faults.Call?.Invoke(number) is { } fault)
        {
            Record(fault.Code, Enumerable.Repeat(fault.Code, count).ToArray());
            throw fault.ToRpcException($"fake call {number} failed with {fault.Code}");
        }

        var codes = new StatusCode[count];
        var entries = new List<MutateRowsResponse.Types.Entry>(count);
        for (int i = 0; i < count; i++)
        {
            MutateRowsRequest.Types.Entry entry = request.Entries[i];
            FakeStatus status = _faults.Entry?.Invoke(entry.RowKey, sends[i]) ?? FakeStatus.Ok;
            codes[i] = status.Code;
            if (status.Code == StatusCode.OK)
            {
                Table.Apply(entry);
            }

            entries.Add(new MutateRowsResponse.Types.Entry { Index = i, Status = status.ToRpcStatus($"fake entry {i} of call {number}: {status.Code}") });
        }

        RateLimitInfo? rateLimit = _faults.RateLimit?.Invoke(number, sinceFirst);
        Record(StatusCode.OK, codes, rateLimit is not null);
        int perResponse = Math.Max(1, _faults.EntriesPerResponse ?? count);
        for (int first = 0; first < count || (count == 0 && first == 0); first += perResponse)
        {
            var response = new MutateRowsResponse { RateLimitInfo = rateLimit };
            response.Entries.Add(entries.Skip(first).Take(perResponse));
            await responses.WriteAsync(response, context.CancellationToken);
        }
    }
}
