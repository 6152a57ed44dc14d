using BenchmarkDotNet.Attributes;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Perf.Benchmarks;

/// <summary>
/// One int64 cell, per cell over 1,024 values: the whole SetCell mutation as a generated message (ByteString value,
/// serialised into a span) against the mapper's hand encoding into the same span, plus the value encoding alone.
/// </summary>
[MemoryDiagnoser]
public class CellEncodingBenchmarks
{
    private const int Cells = BenchmarkData.ChunkRows;

    private BenchmarkData _data = null!;
    private FeaturePlan _feature = null!;
    private ByteString _qualifier = ByteString.Empty;
    private long[] _values = [];
    private long[] _timestamps = [];
    private byte[] _buffer = [];

    [GlobalSetup]
    public void Setup()
    {
        _data = BenchmarkData.Create();
        _feature = _data.Mapper.Features[0];
        _qualifier = ByteString.CopyFromUtf8(SyntheticSource.FeatureName(0));
        _values = _data.Values[0];
        _timestamps = [.. _data.EventTimes.Select(CellEncoding.CellTimestampMicros)];
        _buffer = new byte[256];
        // The hand encoding starts with the entry's `mutations` tag and length (2 bytes here); the message's bytes do not.
        int length = HandEncodedOne(0);
        byte[] generated = GeneratedMutation(0).ToByteArray();
        if (!_buffer.AsSpan(0, length).EndsWith(generated) || length - generated.Length != 2)
        {
            throw new InvalidOperationException("The hand-encoded SetCell differs from the generated message's bytes.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Cells, Description = "Generated Mutation/SetCell + WriteTo per cell")]
    public long GeneratedSetCell()
    {
        long total = 0;
        for (int i = 0; i < Cells; i++)
        {
            Mutation mutation = GeneratedMutation(i);
            int size = mutation.CalculateSize();
            mutation.WriteTo(_buffer.AsSpan(0, size));
            total += size;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Cells, Description = "Hand-encoded SetCell per cell")]
    public long HandEncodedSetCell()
    {
        long total = 0;
        for (int i = 0; i < Cells; i++)
        {
            total += HandEncodedOne(i);
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Cells, Description = "CellEncoding.WriteInt64 (value only) per cell")]
    public long WriteInt64()
    {
        long total = 0;
        for (int i = 0; i < Cells; i++)
        {
            CellEncoding.WriteInt64(_buffer, _values[i]);
            total += _buffer[7];
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Cells, Description = "CellEncoding.Int64 (new byte[8]) per cell")]
    public long Int64Array()
    {
        long total = 0;
        for (int i = 0; i < Cells; i++)
        {
            total += CellEncoding.Int64(_values[i])[7];
        }

        return total;
    }

    private Mutation GeneratedMutation(int i)
    {
        Span<byte> value = stackalloc byte[CellEncoding.Int64Size];
        CellEncoding.WriteInt64(value, _values[i]);
        return new Mutation
        {
            SetCell = new Mutation.Types.SetCell
            {
                FamilyName = SyntheticSource.Family,
                ColumnQualifier = _qualifier,
                TimestampMicros = _timestamps[i],
                Value = ByteString.CopyFrom(value),
            },
        };
    }

    private int HandEncodedOne(int i)
    {
        // As the mapper writes a cell (RowMapper.WriteSetCell), minus the dispatch on the column type.
        int at = RowMapper.WriteSetCellHeader(_buffer, _feature, _timestamps[i], CellEncoding.Int64Size);
        CellEncoding.WriteInt64(_buffer.AsSpan(at), _values[i]);
        return at + CellEncoding.Int64Size;
    }
}
