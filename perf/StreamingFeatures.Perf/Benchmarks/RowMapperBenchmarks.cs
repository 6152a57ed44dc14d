using System.IO.Hashing;
using BenchmarkDotNet.Attributes;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Perf.Benchmarks;

/// <summary>
/// Mapping a 1,024-row chunk with 8 int64 features into MutateRows entries: the engine's hand encoding into one pooled
/// buffer against the generated protobuf messages (an Entry, 8 Mutation/SetCell objects and a ByteString per value)
/// serialised with ToByteArray. Both compute the same keys and the same digest, and the setup checks that both give
/// the same bytes, so the Ratio is what hand encoding saves.
/// </summary>
[MemoryDiagnoser]
public class RowMapperBenchmarks
{
    private BenchmarkData _data = null!;
    private ByteString[] _qualifiers = [];
    private byte[] _key = [];

    [GlobalSetup]
    public void Setup()
    {
        _data = BenchmarkData.Create();
        _qualifiers = [.. Enumerable.Range(0, BenchmarkData.Features).Select(f => ByteString.CopyFromUtf8(SyntheticSource.FeatureName(f)))];
        _key = new byte[RowKeyFormat.MaxKeyBytes];
        CheckSameBytes();
    }

    [Benchmark(Baseline = true, Description = "Generated Entry + ToByteArray (1,024 rows)")]
    public long GeneratedEntries()
    {
        long bytes = 0;
        for (int row = 0; row < BenchmarkData.ChunkRows; row++)
        {
            byte[] entry = BuildEntry(row).ToByteArray();
            bytes += entry.Length + (long)(XxHash3.HashToUInt64(entry) & 1);
        }

        return bytes;
    }

    [Benchmark(Description = "RowMapper.Map (1,024 rows)")]
    public long Map()
    {
        using MappedChunk mapped = _data.Mapper.Map(_data.Chunk);
        return mapped.Rows.ByteCount;
    }

    private MutateRowsRequest.Types.Entry BuildEntry(int row)
    {
        int keyLength = _data.Keys.Write(_data.Entities.Get(row), _data.EventTimes[row], _key, out _);
        long timestamp = CellEncoding.CellTimestampMicros(_data.EventTimes[row]);
        var entry = new MutateRowsRequest.Types.Entry { RowKey = ByteString.CopyFrom(_key, 0, keyLength) };
        Span<byte> value = stackalloc byte[CellEncoding.Int64Size];
        for (int f = 0; f < BenchmarkData.Features; f++)
        {
            CellEncoding.WriteInt64(value, _data.Values[f][row]);
            entry.Mutations.Add(new Mutation
            {
                SetCell = new Mutation.Types.SetCell
                {
                    FamilyName = SyntheticSource.Family,
                    ColumnQualifier = _qualifiers[f],
                    TimestampMicros = timestamp,
                    Value = ByteString.CopyFrom(value),
                },
            });
        }

        return entry;
    }

    /// <summary>The baseline must build the rows the mapper builds, or the Ratio means nothing.</summary>
    private void CheckSameBytes()
    {
        using MappedChunk mapped = _data.Mapper.Map(_data.Chunk);
        for (int row = 0; row < BenchmarkData.ChunkRows; row++)
        {
            // The mapper's entry starts with the request's `entries` tag and length; the message's bytes do not.
            ReadOnlySpan<byte> encoded = mapped.Rows.Entry(row);
            byte[] generated = BuildEntry(row).ToByteArray();
            if (!encoded.EndsWith(generated) || encoded.Length - generated.Length > 4)
            {
                throw new InvalidOperationException($"Row {row}: the generated entry ({generated.Length} bytes) differs from the mapper's ({encoded.Length} bytes with its tag).");
            }
        }
    }
}
