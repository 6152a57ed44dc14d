using System.Globalization;
using System.IO.Hashing;
using System.Text;
using BenchmarkDotNet.Attributes;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Perf.Benchmarks;

/// <summary>
/// Row keys <c>bucket#entity</c> for 1,024 entities, per key: <see cref="Keys.RowKeyFormat.Write"/> from the source's
/// UTF-8 bytes into a reused span (the pipeline's path) against a string-formatting baseline that hashes and builds
/// each key as .NET strings, and the serving side's <see cref="Keys.RowKeyFormat.ForEntity"/>.
/// </summary>
[MemoryDiagnoser]
public class RowKeyBenchmarks
{
    private const int Keys = BenchmarkData.ChunkRows;

    private BenchmarkData _data = null!;
    private string[] _entityIds = [];
    private byte[] _key = [];

    [GlobalSetup]
    public void Setup()
    {
        _data = BenchmarkData.Create();
        _entityIds = [.. Enumerable.Range(0, Keys).Select(row => SyntheticSource.EntityId(_data.Source.EntityOf(row)))];
        _key = new byte[StreamingFeatures.Keys.RowKeyFormat.MaxKeyBytes];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Keys, Description = "string hash + format + UTF-8 per key")]
    public long StringFormat()
    {
        long total = 0;
        foreach (string id in _entityIds)
        {
            ulong bucket = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(id)) % 64;
            byte[] key = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{bucket:x2}#{id}"));
            total += key.Length;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "RowKeyFormat.Write per key")]
    public long Write()
    {
        long total = 0;
        for (int row = 0; row < Keys; row++)
        {
            total += _data.Keys.Write(_data.Entities.Get(row), _data.EventTimes[row], _key, out int bucket) + bucket;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "RowKeyFormat.BucketOf (hash only) per key")]
    public long BucketOf()
    {
        long total = 0;
        for (int row = 0; row < Keys; row++)
        {
            total += _data.Keys.BucketOf(_data.Entities.Get(row));
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "RowKeyFormat.ForEntity (serving lookups) per key")]
    public long ForEntity()
    {
        long total = 0;
        foreach (string id in _entityIds)
        {
            total += _data.Keys.ForEntity([id]).Length;
        }

        return total;
    }
}
