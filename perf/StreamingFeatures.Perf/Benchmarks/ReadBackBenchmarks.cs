using BenchmarkDotNet.Attributes;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Perf.Benchmarks;

/// <summary>
/// Full verification's client side for 1,024 rows of 8 int64 features: ReadRows responses as cbtemulator sends them
/// (one response per row, one chunk per cell, key, family and qualifier on every chunk) parsed, merged into rows and
/// digested, the old way (generated messages, merged Row objects) and the way verification reads now (digests computed
/// while parsing the bytes). The setup checks every digest equals the write side's, so both measure real verification.
/// </summary>
[MemoryDiagnoser]
public class ReadBackBenchmarks
{
    private byte[][] _responses = [];
    private (long Timestamp, ulong Digest)[] _expected = [];
    private RowDigester _digester = null!;
    private ReadRowsDigester _streaming = null!;
    private List<ReadBackJob.PendingRow> _pending = [];

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkData data = BenchmarkData.Create();
        _digester = new RowDigester(data.Mapper);
        using MappedChunk mapped = data.Mapper.Map(data.Chunk);
        _responses = new byte[mapped.Rows.RowCount][];
        _expected = new (long, ulong)[mapped.Rows.RowCount];
        for (int i = 0; i < mapped.Rows.RowCount; i++)
        {
            // An entry is held as MutateRowsRequest field 2, header included.
            MutateRowsRequest.Types.Entry entry = MutateRowsRequest.Parser.ParseFrom(mapped.Rows.Entry(i).ToArray()).Entries[0];
            var response = new ReadRowsResponse();
            foreach (Mutation mutation in entry.Mutations)
            {
                response.Chunks.Add(new ReadRowsResponse.Types.CellChunk
                {
                    RowKey = entry.RowKey,
                    FamilyName = mutation.SetCell.FamilyName,
                    Qualifier = mutation.SetCell.ColumnQualifier,
                    TimestampMicros = mutation.SetCell.TimestampMicros,
                    Value = mutation.SetCell.Value,
                });
            }

            response.Chunks[^1].CommitRow = true;
            _responses[i] = response.ToByteArray();
            _expected[i] = (mapped.Rows[i].TimestampMicros, mapped.Rows[i].Digest);
        }

        // A read returns rows in key order.
        int[] order = [.. Enumerable.Range(0, _responses.Length).OrderBy(i => ReadRowsResponse.Parser.ParseFrom(_responses[i]).Chunks[0].RowKey, ByteStringOrder.Instance)];
        _responses = [.. order.Select(i => _responses[i])];
        _expected = [.. order.Select(i => _expected[i])];
        _pending = [.. _responses.Select((response, i) => new ReadBackJob.PendingRow(ReadRowsResponse.Parser.ParseFrom(response).Chunks[0].RowKey, _expected[i].Digest, _expected[i].Timestamp, -1, default))];
        _streaming = new ReadRowsDigester(_digester);
        if (ParseMergeDigest() != _responses.Length || DigestWhileParsing() != _responses.Length)
        {
            throw new InvalidOperationException("Read-back digests differ from the write side's.");
        }
    }

    [Benchmark(Baseline = true, Description = "Parse + merge + digest (1,024 rows)")]
    public int ParseMergeDigest()
    {
        var merger = new ReadRowsMerger();
        int matched = 0;
        for (int i = 0; i < _responses.Length; i++)
        {
            foreach (Row row in merger.Add(ReadRowsResponse.Parser.ParseFrom(_responses[i])))
            {
                matched += _digester.Digest(row, _expected[i].Timestamp) == _expected[i].Digest ? 1 : 0;
            }
        }

        return matched;
    }

    [Benchmark(Description = "Digest while parsing the bytes (1,024 rows)")]
    public int DigestWhileParsing()
    {
        _streaming.Start(_pending);
        for (int i = 0; i < _responses.Length; i++)
        {
            _streaming.Add(_responses[i]);
        }

        _streaming.Complete();
        int matched = 0;
        for (int i = 0; i < _pending.Count; i++)
        {
            matched += _streaming.TryGetDigest(i, out ulong digest) && digest == _pending[i].Digest ? 1 : 0;
        }

        return matched;
    }

    private sealed class ByteStringOrder : IComparer<ByteString>
    {
        public static readonly ByteStringOrder Instance = new();

        public int Compare(ByteString? x, ByteString? y) => x!.Span.SequenceCompareTo(y!.Span);
    }
}
