using BenchmarkDotNet.Attributes;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Perf.Pipeline;

namespace StreamingFeatures.Perf.Benchmarks;

/// <summary>
/// Framing one 1,000-row MutateRows request (the writer's batch size), the part of a send the client pays per
/// request: the generated message's CalculateSize + WriteTo, as the generated client's marshaller does it for the bare
/// loop, against the engine's marshaller copying pre-encoded entries. Both write into a reused buffer.
/// </summary>
[MemoryDiagnoser]
public class RequestSerializationBenchmarks : IDisposable
{
    private const int RequestRows = 1_000;

    private MappedChunk? _mapped;
    private MutateRowsRequest _request = null!;
    private MutateRowsPayload _payload = null!;
    private ReusableSerializationContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkData data = BenchmarkData.Create();
        _mapped = data.Mapper.Map(data.Chunk);
        _payload = new MutateRowsPayload(MutateRowsMethod.Header(BenchmarkData.TableName, null), _mapped.Rows, [.. Enumerable.Range(0, RequestRows)]);
        _request = MutateRowsMethod.ToMessage(_payload);
        _context = new ReusableSerializationContext();
        if (Engine() != Generated() || !_context.Written.SequenceEqual(_request.ToByteArray()))
        {
            throw new InvalidOperationException("The engine's request bytes differ from the generated message's.");
        }
    }

    [Benchmark(Baseline = true, Description = "Generated MutateRowsRequest: CalculateSize + WriteTo (1,000 rows)")]
    public int Generated()
    {
        _context.Reset();
        _context.SetPayloadLength(_request.CalculateSize());
        _request.WriteTo(_context.GetBufferWriter());
        _context.Complete();
        return _context.Written.Length;
    }

    [Benchmark(Description = "MutateRowsMethod marshaller, pre-encoded entries (1,000 rows)")]
    public int Engine()
    {
        _context.Reset();
        MutateRowsMethod.Method.RequestMarshaller.ContextualSerializer(_payload, _context);
        return _context.Written.Length;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _mapped?.Dispose();
        _mapped = null;
        GC.SuppressFinalize(this);
    }
}
